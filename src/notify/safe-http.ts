import { isIP } from 'node:net';
import { Client, buildConnector } from 'undici';
import { type Resolver, resolveAllowed, systemResolver } from './address-policy';

/** Most of a receiver's answer that is read and stored. */
export const RESPONSE_LIMIT_BYTES = 20 * 1024;

export interface SafeHttpOptions {
  /** http to loopback allowed (`ALLOW_INSECURE_WEBHOOK_URLS`). @defaultValue false */
  allowLoopback?: boolean;
  /** @defaultValue the system resolver */
  resolver?: Resolver;
  /** Whole attempt, connection to last byte read. @defaultValue 15000 */
  timeoutMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** One POST's outcome: a status (any, 3xx included: redirects are never followed) or an error. */
export interface HttpOutcome {
  statusCode: number | null;
  headers: Record<string, string>;
  /** The answer's first {@link RESPONSE_LIMIT_BYTES} bytes as text. */
  response: string;
  error: string | null;
  durationMs: number;
}

/**
 * Outbound HTTP for notifications that cannot be turned against the operator's network: the address is
 * resolved and checked when the connection is made (so a DNS answer that changes to a private address
 * is caught, and the socket goes to the very address checked), redirects are never followed, the whole
 * attempt is bounded in time and the answer in size. A fresh connection per request: every request
 * passes the check.
 */
export class SafeHttp {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly connector: buildConnector.connector;

  constructor(options: SafeHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    const base = buildConnector({ timeout: this.timeoutMs });
    const resolver = options.resolver ?? systemResolver;
    const allowLoopback = options.allowLoopback ?? false;
    this.connector = (connectOptions, callback) => {
      resolveAllowed(connectOptions.hostname, resolver, allowLoopback).then(
        (address) => {
          const named = isIP(connectOptions.hostname.replace(/^\[|\]$/g, '')) === 0;
          // TLS still names (SNI) and verifies the host, while the socket goes to the checked address.
          base(
            {
              ...connectOptions,
              hostname: address,
              servername: connectOptions.servername ?? (named ? connectOptions.hostname : undefined),
            },
            callback,
          );
        },
        (error: Error) => callback(error, null),
      );
    };
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<HttpOutcome> {
    const started = this.now();
    const target = new URL(url);
    const client = new Client(target.origin, {
      connect: this.connector,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const abort = AbortSignal.timeout(this.timeoutMs);
    try {
      const answer = await client.request({
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers,
        body,
        signal: abort,
      });
      const response = await readLimited(answer.body);
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers))
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
      return {
        statusCode: answer.statusCode,
        headers: flat,
        response,
        error: null,
        durationMs: this.now() - started,
      };
    } catch (error) {
      return {
        statusCode: null,
        headers: {},
        response: '',
        error: describe(error, abort.aborted, this.timeoutMs),
        durationMs: this.now() - started,
      };
    } finally {
      client.destroy().catch(() => undefined);
    }
  }
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_LIMIT_BYTES) {
      // Deliberately not read further: a receiver must not make tradehook store (or wait for) a huge answer.
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_LIMIT_BYTES).toString('utf8');
}

function describe(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no complete answer within ${timeoutMs} ms`;
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.code === 'address_refused') return e.message ?? 'address refused';
  const code = e.code ?? e.cause?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return `timeout: no complete answer within ${timeoutMs} ms`;
  return `${code ? `${code}: ` : ''}${e.message ?? String(error)}`;
}
