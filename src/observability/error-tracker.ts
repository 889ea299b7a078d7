import type winston from 'winston';
import TransportStream from 'winston-transport';

/**
 * The part of `@sentry/node` tradehook uses, so that the module is loaded only where `SENTRY_DSN` is set
 * (loading it costs ~12 MB and ~170 ms of boot) and tests can hand in a real client built their way.
 */
export interface ErrorTrackerClient {
  withScope(callback: (scope: TrackerScope) => void): void;
  captureException(exception: unknown): string;
  captureMessage(message: string, level?: 'error' | 'warning'): string;
}

interface TrackerScope {
  setTag(key: string, value: string): unknown;
  setContext(name: string, context: Record<string, unknown> | null): unknown;
}

/** Log fields that become searchable Sentry tags: which signal, which account, which request. */
const TAG_FIELDS = ['signalId', 'account', 'requestId', 'partition', 'process'] as const;

/** Fields winston adds that say nothing about the failure. */
const NOISE = new Set(['level', 'message', 'timestamp', 'stack', 'error']);

/**
 * Sends every `error` line of the application log to Sentry, tagged with its signal id and account.
 *
 * The log is the one place where failures are already described once, with their reason, and already
 * scrubbed of secrets (the same redaction format runs here as on the console). So Sentry sees exactly what
 * the log says — never a secret, never a raw alert (log lines carry no alert bodies) — and no call site
 * needs its own `captureException`. Written here rather than taken from a package: the maintained winston
 * transports for Sentry target older `@sentry/node` majors, and this is a few lines over Sentry's own API.
 */
export class ErrorTrackerTransport extends TransportStream {
  constructor(
    private readonly client: ErrorTrackerClient,
    options: { format?: winston.Logform.Format } = {},
  ) {
    super({ level: 'error', format: options.format });
  }

  override log(info: Record<string, unknown>, next: () => void): void {
    const message = typeof info.message === 'string' ? info.message : 'error';
    this.client.withScope((scope) => {
      for (const field of TAG_FIELDS) {
        const value = info[field];
        if (typeof value === 'string' || typeof value === 'number') scope.setTag(field, String(value));
      }
      const extra: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(info)) {
        if (!NOISE.has(key) && !(TAG_FIELDS as readonly string[]).includes(key)) extra[key] = value;
      }
      if (Object.keys(extra).length > 0) scope.setContext('log', extra);
      const cause = typeof info.error === 'string' ? `: ${info.error}` : '';
      if (typeof info.stack === 'string') {
        const error = new Error(message + cause);
        error.stack = info.stack;
        this.client.captureException(error);
      } else {
        this.client.captureMessage(message + cause, 'error');
      }
    });
    next();
  }
}

/** Keys of a URL that carry a credential. */
const URL_SECRETS = /([?&](?:token|signature|apiKey|api_key)=)[^&#]*/gi;

/** The webhook's path token and credentials in query strings, replaced before anything leaves the process. */
export function redactUrl(url: string): string {
  return url.replace(/\/webhook\/[^/?#]+/g, '/webhook/[redacted]').replace(URL_SECRETS, '$1[redacted]');
}
