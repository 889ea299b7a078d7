import { type Writable } from 'node:stream';
import winston from 'winston';
import { corkPerTurn } from '../util/cork-per-turn';
import { type ErrorTrackerClient, ErrorTrackerTransport } from './error-tracker';

/** Field names whose values are never logged, at any depth. */
const SECRET_FIELDS = new Set([
  'token',
  'passphrase',
  'secret',
  'secrets',
  'password',
  'apikey',
  'api_key',
  'authorization',
  'signature',
  'webhook-signature',
  'x-api-key',
]);

export interface LoggerOptions {
  level: string;
  /** JSON lines (production) or readable lines (development). */
  json: boolean;
  /**
   * Secret values (tokens, HMAC secrets, exchange keys) to scrub from every line as a last line of defence:
   * code never logs them on purpose, and this makes an accident harmless.
   */
  secrets?: string[];
  /** Where lines go. @defaultValue stdout */
  stream?: Writable;
  /** Error tracking (Sentry, when `SENTRY_DSN` is set): every `error` line is reported, scrubbed the same way. */
  tracker?: ErrorTrackerClient;
}

export type Logger = winston.Logger;

/** The application logger: one line per step, `signalId`/`requestId` as fields, never a secret. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const redact = winston.format((info) => scrub(info, secrets) as winston.Logform.TransformableInfo);
  const format = options.json
    ? winston.format.combine(redact(), winston.format.timestamp(), jsonLine())
    : winston.format.combine(
        redact(),
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        // Colours only for a terminal: escape codes would litter files and log drains.
        ...(options.stream === undefined && process.stdout.isTTY ? [winston.format.colorize()] : []),
        winston.format.printf(({ level, message, timestamp, ...rest }) => {
          const fields = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          return `${timestamp} ${level} ${message}${fields ? ` ${fields}` : ''}`;
        }),
      );
  // The format sits on the transport, which checks the level first: a debug line below LOG_LEVEL costs a
  // level comparison, not a redaction pass and a JSON serialisation.
  // stdout is written synchronously (pipes, files): the lines of one event-loop turn leave in one syscall.
  if (options.stream === undefined) corkPerTurn(process.stdout, { flushOnExit: true });
  const transport = new winston.transports.Stream({ stream: options.stream ?? process.stdout, format });
  // At the logger level only the cheap Error-to-object step: a transport receives a shallow copy of each
  // record, which would lose an Error's non-enumerable message and stack. (It also replaces winston's
  // default logger-level JSON serialisation, which would be wasted work.)
  const transports: winston.transport[] = [transport];
  if (options.tracker) transports.push(new ErrorTrackerTransport(options.tracker, { format: redact() }));
  return winston.createLogger({
    level: options.level,
    format: winston.format.errors({ stack: true }),
    transports,
  });
}

/**
 * One JSON line per record with plain `JSON.stringify`: `scrub` has already turned the record into plain,
 * depth-limited data (no cycles, Errors as objects), so logform's cycle-safe, key-sorting serialiser would
 * only cost time on the webhook's hot path.
 */
/** winston's key for the finished line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

const jsonLine = winston.format((info) => {
  (info as unknown as Record<symbol, string>)[MESSAGE] = JSON.stringify(info);
  return info;
});

function scrub(value: unknown, secrets: string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[truncated]';
  if (value instanceof Error && depth > 0)
    return { name: value.name, message: scrubString(value.message, secrets) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1));
  const out: Record<string | symbol, unknown> = {};
  if (value instanceof Error) {
    out.message = scrubString(value.message, secrets);
    if (value.stack) out.stack = scrubString(value.stack, secrets);
  }
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? '[redacted]' : scrub(v, secrets, depth + 1);
  }
  // winston keeps its level/message under symbols; carry them over untouched.
  for (const sym of Object.getOwnPropertySymbols(value)) {
    const v = (value as Record<symbol, unknown>)[sym];
    out[sym] = typeof v === 'string' ? scrubString(v, secrets) : v;
  }
  return out;
}

function scrubString(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out;
}
