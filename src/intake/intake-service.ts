import { type Logger } from '../observability/logger';
import { parseAlert } from '../signals/alert-schema';
import { type ValidationIssue } from '../signals/alert';
import { type AuthMode, type SignalEnvelope } from '../signals/signal';
import { bodyDigest, signalIdFromNonce } from '../signals/signal-id';
import { freshnessProblem, parseTimestamp } from '../signals/timestamp';
import { type SignatureHeaders, secretKey, verifySignature } from './hmac';
import { type NonceStore } from './nonce-store';
import { makeTokenChecker } from './token';

export interface IntakeAuthOptions {
  secrets: string[];
  tokens: string[];
  allowTokenAuth: boolean;
  requireTimestamp: boolean;
  toleranceSeconds: number;
}

/** The parts of the queue and history the intake needs (ports; adapters live in queue/ and history/). */
export interface IntakeQueue {
  enqueue(signal: SignalEnvelope): Promise<void>;
  exists(signalId: string): Promise<boolean>;
}
export interface IntakeHistory {
  recordQueued(signal: SignalEnvelope, queuedAt: number): Promise<void>;
}

export interface IntakeDeps {
  auth: IntakeAuthOptions;
  /** Configured account ids; the first is the default. */
  accounts: string[];
  nonces: NonceStore;
  queue: IntakeQueue;
  history: IntakeHistory;
  logger: Logger;
  now?: () => number;
}

export interface IntakeRequest {
  rawBody: Buffer;
  contentType: string | undefined;
  headers: SignatureHeaders;
  /** The `:token` path segment of `POST /webhook/:token`. */
  pathToken?: string;
  requestId: string;
}

/** Why an alert was refused or how it ended: the label of logs and metrics. */
export type IntakeOutcome =
  | 'queued'
  | 'duplicate'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'unauthorized'
  | 'invalid_signal'
  | 'unavailable';

export interface IntakeResponse {
  status: number;
  body: Record<string, unknown>;
  outcome: IntakeOutcome;
  /** Detail for logs and metrics only (e.g. `bad_signature`); never sent to the client. */
  reason?: string;
  signalId?: string;
}

const UNAUTHORIZED = { error: 'unauthorized', message: 'authentication failed' };

/**
 * The webhook use case: steps 3-8 of docs/contract.md "Intake" (IP allowlist, rate limit and body size
 * are HTTP concerns handled before). Pure of HTTP: it takes the raw body and headers, returns an answer.
 */
export class IntakeService {
  private readonly keys: Buffer[];
  private readonly tokenMatches: (token: string) => boolean;
  private readonly now: () => number;

  constructor(private readonly deps: IntakeDeps) {
    this.keys = deps.auth.secrets.map(secretKey);
    this.tokenMatches = makeTokenChecker(deps.auth.tokens);
    this.now = deps.now ?? Date.now;
  }

  async handle(req: IntakeRequest): Promise<IntakeResponse> {
    const response = await this.process(req);
    const fields = {
      requestId: req.requestId,
      outcome: response.outcome,
      ...(response.signalId ? { signalId: response.signalId } : {}),
    };
    if (response.status >= 400)
      this.deps.logger.warn('alert refused', { ...fields, reason: response.reason });
    else this.deps.logger.info(response.outcome === 'queued' ? 'alert queued' : 'alert duplicate', fields);
    return response;
  }

  private async process(req: IntakeRequest): Promise<IntakeResponse> {
    // 3. Content type and JSON.
    const mediaType = (req.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json' && mediaType !== 'text/plain') {
      return {
        status: 415,
        outcome: 'unsupported_media_type',
        reason: mediaType || 'none',
        body: {
          error: 'unsupported_media_type',
          message: 'send application/json, or text/plain holding JSON',
        },
      };
    }
    const body = parseJsonObject(req.rawBody);
    if (typeof body === 'string') {
      return {
        status: 400,
        outcome: 'invalid_json',
        reason: 'invalid_json',
        body: { error: 'invalid_json', message: body },
      };
    }

    // 4 and 5. Authentication and freshness.
    const verdict = this.authenticate(req, body);
    if ('failure' in verdict)
      return { status: 401, outcome: 'unauthorized', reason: verdict.failure, body: UNAUTHORIZED };
    const auth = verdict.mode;

    // 6. Replay / idempotency.
    const nonce =
      auth === 'hmac'
        ? `hmac:${req.headers.id}`
        : body.id !== undefined && body.id !== ''
          ? `id:${String(body.id)}`
          : `body:${bodyDigest(req.rawBody)}`;
    const signalId = signalIdFromNonce(nonce);
    const receivedAt = this.now();
    let claim: string | undefined;
    try {
      claim = await this.deps.nonces.claim(
        signalId,
        receivedAt,
        async () => !(await this.deps.queue.exists(signalId)),
      );
    } catch (error) {
      return this.unavailable(signalId, error);
    }
    if (claim === undefined) {
      return { status: 200, outcome: 'duplicate', signalId, body: { id: signalId, status: 'duplicate' } };
    }

    // 7. Validation.
    const parsed = parseAlert(body, { defaultAccount: this.deps.accounts[0], accounts: this.deps.accounts });
    if (!parsed.ok) {
      // Release the nonce: an invalid alert queued nothing, and its corrected resend must not be a "duplicate".
      await this.deps.nonces.release(signalId, claim).catch(() => undefined);
      return invalid(signalId, parsed.issues);
    }

    // 8. Queue, then record. The job is what matters; a failed record write is rebuilt by the worker.
    const signal: SignalEnvelope = {
      id: signalId,
      alert: parsed.alert,
      auth,
      requestId: req.requestId,
      receivedAt,
    };
    try {
      await this.deps.queue.enqueue(signal);
    } catch (error) {
      await this.deps.nonces.release(signalId, claim).catch(() => undefined);
      return this.unavailable(signalId, error);
    }
    await this.deps.history.recordQueued(signal, this.now()).catch((error: Error) => {
      this.deps.logger.warn('signal record not written; the worker will write it', {
        requestId: req.requestId,
        signalId,
        error: error.message,
      });
    });
    return { status: 202, outcome: 'queued', signalId, body: { id: signalId, status: 'queued' } };
  }

  /** Steps 4 and 5: the auth mode, or why the request is refused (logged, never answered). */
  private authenticate(
    req: IntakeRequest,
    body: Record<string, unknown>,
  ): { mode: AuthMode } | { failure: string } {
    const { toleranceSeconds } = this.deps.auth;
    const now = this.now();
    const verdict = (mode: AuthMode, timestampMs: number) => {
      const problem = freshnessProblem(timestampMs, now, toleranceSeconds);
      return problem ? { failure: problem } : { mode };
    };
    if (req.headers.signature !== undefined) {
      if (this.keys.length === 0) return { failure: 'hmac_not_configured' };
      const failure = verifySignature(this.keys, req.headers, req.rawBody);
      if (failure) return { failure };
      return verdict('hmac', Number(req.headers.timestamp) * 1000);
    }
    if (!this.deps.auth.allowTokenAuth) return { failure: 'token_auth_disabled' };
    if (this.deps.auth.tokens.length === 0) return { failure: 'token_auth_not_configured' };
    const presented = req.pathToken ?? firstString(body.token, body.passphrase);
    if (presented === undefined) return { failure: 'missing_credentials' };
    if (!this.tokenMatches(presented)) return { failure: 'bad_token' };
    if (body.timestamp === undefined) {
      return this.deps.auth.requireTimestamp ? { failure: 'timestamp_missing' } : { mode: 'token' };
    }
    const ts = parseTimestamp(body.timestamp);
    if (ts === undefined) return { failure: 'timestamp_malformed' };
    return verdict('token', ts);
  }

  private unavailable(signalId: string, error: unknown): IntakeResponse {
    return {
      status: 503,
      outcome: 'unavailable',
      reason: `queue_unavailable: ${(error as Error).message}`,
      signalId,
      body: { error: 'unavailable', message: 'the alert could not be queued; send it again' },
    };
  }
}

function invalid(signalId: string, issues: ValidationIssue[]): IntakeResponse {
  return {
    status: 400,
    outcome: 'invalid_signal',
    reason: issues.map((i) => i.path).join(','),
    signalId,
    body: { error: 'invalid_signal', issues },
  };
}

/** The body as a JSON object, or a message saying why it is not one. */
function parseJsonObject(raw: Buffer): Record<string, unknown> | string {
  const text = raw.toString('utf8').trim();
  if (text === '') return 'the alert message is empty: it must be a JSON object';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return (
      'the alert message must be valid JSON (TradingView sends text/plain exactly when it is not): ' +
      'check quotes, commas, and that placeholders inside strings are quoted, e.g. "{{close}}"'
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'the alert message must be a JSON object, e.g. {"symbol": "BTCUSDT", "action": "buy", ...}';
  }
  return value as Record<string, unknown>;
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
