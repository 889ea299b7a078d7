import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { ipKeyGenerator } from 'express-rate-limit';
import proxyAddr from 'proxy-addr';
import { type TrustProxy } from '../config/parsers';
import { type Admission, type RateCount } from '../intake/admission';
import { type IntakeService } from '../intake/intake-service';
import { makeIpAllowlist } from '../intake/ip-allowlist';
import { type Logger } from '../observability/logger';

export interface FastPathOptions {
  intake: IntakeService;
  /** The rate limit shared through Redis (the intake uses the same one with the nonce claim). */
  admission: Admission;
  logger: Logger;
  trustProxy: TrustProxy;
  ipAllowlist: string[];
  bodyLimitBytes: number;
  /** Observes each answered alert (metrics); must be cheap, it runs on the hot path. */
  onAlert?: (observation: { outcome: string; reason?: string }) => void;
}

/**
 * The headers helmet would set on a JSON answer, computed once. The webhook and `/health` answer with
 * these instead of running helmet's middleware chain per request (issue 7: bar-close bursts).
 */
const SECURITY_HEADERS: readonly string[] = [
  ...['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ...['cross-origin-opener-policy', 'same-origin'],
  ...['cross-origin-resource-policy', 'same-origin'],
  ...['referrer-policy', 'no-referrer'],
  ...['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ...['x-content-type-options', 'nosniff'],
  ...['x-frame-options', 'SAMEORIGIN'],
];

/**
 * An answer's headers as Node's flat `[name, value, …]` list, handed to `writeHead` at once: a dozen
 * `setHeader` calls per alert (each validating and storing into the response's header map) were a visible
 * share of the burst profile.
 */
type Head = string[];

const RATE_LIMITED = { error: 'rate_limited', message: 'too many alerts from this address; slow down' };

interface Refusal {
  status: number;
  error: string;
  message: string;
  reason?: string;
  ip?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export interface WebhookFastPath {
  /** The server's request listener: the webhook and `/health` here, anything else to `next`. */
  listener: RequestListener;
  /** The webhook's handling, for the Express routes that declare it (and serve what `listener` passes on). */
  serveWebhook: (req: IncomingMessage, res: ServerResponse, token?: string) => void;
}

/** Express's `trust proxy` setting as a proxy-addr trust function (hop count, list, or all/none). */
function compileTrust(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/**
 * `POST /webhook[/:token]` and `GET /health` on plain Node http, in front of Express (which serves every
 * other route). Every check of docs/contract.md "Intake" stays, in the same order and with the same
 * answers as the Express route had — IP allowlist (403), rate limit shared through Redis (429 with
 * Retry-After), body (415 compressed, 413 over BODY_LIMIT, declared or read), then the intake use case
 * (auth, freshness, nonce, validation, queue) — but without Express's routing, helmet's chain,
 * express-rate-limit's per-request validation and body-parser's content negotiation, which together
 * were a fifth of the web process's CPU per alert under a burst. The body is read into one buffer.
 */
export function webhookFastPath(options: FastPathOptions, next: RequestListener): WebhookFastPath {
  const allowed = makeIpAllowlist(options.ipAllowlist);
  const trust = compileTrust(options.trustProxy);
  const { admission } = options;
  const limit = admission.limit;
  const policy = `${limit};w=${admission.windowMs / 1000}`;
  const NOT_COUNTED: RateCount = { hits: 0, resetMs: admission.windowMs, limited: false };

  /** The `RateLimit` headers of every webhook answer (IETF draft, as express-rate-limit's draft-8 sends). */
  const rateHeaders = (head: Head, rate: RateCount) => {
    const reset = Math.ceil(rate.resetMs / 1000);
    head.push('ratelimit-policy', policy);
    head.push('ratelimit', `limit=${limit}, remaining=${Math.max(0, limit - rate.hits)}, reset=${reset}`);
    if (rate.limited) head.push('retry-after', String(reset));
  };

  const answer = (res: ServerResponse, head: Head, status: number, body: unknown, close = false) => {
    const text = JSON.stringify(body);
    head.push('content-type', 'application/json; charset=utf-8');
    head.push('content-length', String(Buffer.byteLength(text)));
    if (close) head.push('connection', 'close');
    res.writeHead(status, head);
    res.end(text);
  };

  const refuse = (res: ServerResponse, head: Head, requestId: string, refusal: Refusal, close = false) => {
    options.logger.warn('alert refused', {
      requestId,
      outcome: refusal.error,
      reason: refusal.reason,
      ...(refusal.ip ? { ip: refusal.ip } : {}),
    });
    options.onAlert?.({ outcome: refusal.error, reason: refusal.reason });
    answer(res, head, refusal.status, { error: refusal.error, message: refusal.message }, close);
  };

  const webhook = async (
    req: IncomingMessage,
    res: ServerResponse,
    head: Head,
    requestId: string,
    token?: string,
  ) => {
    // 1. IP allowlist.
    const ip = proxyAddr(req, trust);
    if (!allowed(ip)) {
      return refuse(res, head, requestId, {
        status: 403,
        error: 'forbidden',
        message: 'this address may not send alerts',
        reason: 'ip_not_allowed',
        ip,
      });
    }
    // 2. Rate limit per client IP (IPv4 on a dual-stack socket keyed as IPv4; IPv6 by its /56). Counted in
    // Redis together with the nonce claim (IntakeService), or alone for a request refused before the intake.
    const client = {
      ip,
      key: ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ipKeyGenerator(ip),
    };
    const refuseCounted = async (refusal: Refusal, close = false) => {
      const rate = await admission.count(client.key);
      rateHeaders(head, rate);
      if (!rate.limited) return refuse(res, head, requestId, refusal, close);
      const result = { outcome: 'rate_limited' as const };
      options.logger.warn('alert refused', { requestId, outcome: result.outcome, ip });
      options.onAlert?.(result);
      answer(res, head, 429, RATE_LIMITED, close);
    };
    // 3. Body: never compressed, never over the limit (a declared length is refused before reading).
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return refuseCounted({
        status: 415,
        error: 'unsupported_media_type',
        message: 'compressed bodies are not accepted: send the alert without content-encoding',
        reason: 'content_encoding',
      });
    }
    const tooLarge = {
      status: 413,
      error: 'payload_too_large',
      message: `the body must be at most ${options.bodyLimitBytes} bytes`,
    };
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > options.bodyLimitBytes) {
      return refuseCounted({ ...tooLarge, reason: 'declared_length' }, true);
    }
    const rawBody = await readBody(req, options.bodyLimitBytes);
    if (rawBody === 'too_large') return refuseCounted({ ...tooLarge, reason: 'read_length' }, true);
    if (rawBody === 'aborted') return;

    // 2-8. The intake use case, the rate limit counted in the same Redis round trip as the nonce claim.
    const result = await options.intake.handle({
      rawBody,
      contentType: req.headers['content-type'],
      headers: {
        id: header(req, 'webhook-id'),
        timestamp: header(req, 'webhook-timestamp'),
        signature: header(req, 'webhook-signature'),
      },
      pathToken: token,
      requestId,
      client,
    });
    rateHeaders(head, result.rate ?? NOT_COUNTED);
    options.onAlert?.(result);
    answer(res, head, result.status, result.body);
  };

  /** Answers one request known to be the webhook's (`token`: its decoded path segment) or `/health`. */
  const serve = (
    req: IncomingMessage,
    res: ServerResponse,
    route: 'health' | 'webhook',
    token?: string | null,
  ) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const head: Head = ['x-request-id', requestId, ...SECURITY_HEADERS];
    if (route === 'health') return answer(res, head, 200, { status: 'ok' });
    if (token === null) {
      return answer(res, head, 400, {
        error: 'invalid_request',
        message: 'the path could not be decoded: a %-escape in it is malformed',
      });
    }
    webhook(req, res, head, requestId, token).catch((error: Error) => {
      options.logger.error('unhandled error', { requestId, error: error.message, stack: error.stack });
      if (!res.headersSent) {
        answer(res, ['x-request-id', requestId, ...SECURITY_HEADERS], 500, {
          error: 'internal_error',
          message: 'something went wrong',
          requestId,
        });
      }
    });
  };

  const listener: RequestListener = (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/health')
      return serve(req, res, 'health');
    if (req.method !== 'POST' || (path !== '/webhook' && !path.startsWith('/webhook/')))
      return next(req, res);
    if (path === '/webhook') return serve(req, res, 'webhook');
    const segment = path.slice('/webhook/'.length);
    // Anything else under /webhook/ (an empty or nested segment) is left to Express's routing, as before.
    if (segment === '' || segment.includes('/')) return next(req, res);
    let token: string | null;
    try {
      token = decodeURIComponent(segment);
    } catch {
      token = null;
    }
    serve(req, res, 'webhook', token);
  };
  return {
    listener,
    serveWebhook: (req, res, token) => serve(req, res, 'webhook', token),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The whole body in one buffer; `too_large` past `limit` bytes (reading stops), `aborted` if the client left. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | 'too_large' | 'aborted') => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        return finish('too_large');
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', () => finish('aborted'));
    req.on('close', () => {
      if (!req.complete) finish('aborted');
    });
  });
}
