import { type Logger } from '../observability/logger';
import { parseAlert } from '../signals/alert-schema';
import { type ValidationIssue } from '../signals/alert';
import { type AuthMode, type SignalEnvelope } from '../signals/signal';
import { type Admission, type RateCount } from './admission';
import { type SignatureHeaders } from './hmac';
import { type IntakeAuthOptions, IntakeAuthenticator } from './intake-auth';
import { parseJsonObject, signalIdOf } from './intake-body';
import { type NonceStore } from './nonce-store';

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
  /**
   * The webhook's rate limit and nonce claim in one round trip. Without it (or without `client` in the
   * request) the nonce is claimed through `nonces` and no rate limit is counted here.
   */
  admission?: Admission;
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
  /** The sender, for the rate limit (`key`: its IP, or its IPv6 /56) and the log of a 429. */
  client?: { ip: string; key: string };
}

/** An alert whose sender is already authenticated: the input of {@link IntakeService.accept}. */
export interface AcceptRequest {
  /** The alert as a JSON object (not yet validated). */
  body: Record<string, unknown>;
  /** The bytes it came as: the nonce of last resort when it has no `id`. */
  rawBody: Buffer;
  auth: AuthMode;
  requestId: string;
  /** HMAC mode's `webhook-id`: the nonce instead of the alert's `id`. */
  replayId?: string;
}

/** Why an alert was refused or how it ended: the label of logs and metrics. */
export type IntakeOutcome =
  | 'queued'
  | 'duplicate'
  | 'rate_limited'
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
  /** The client's rate-limit count, when the intake counted it (for the `RateLimit` headers). */
  rate?: RateCount;
}

const UNAUTHORIZED = { error: 'unauthorized', message: 'authentication failed' };

/**
 * The webhook use case: steps 2-8 of docs/contract.md "Intake" (the IP allowlist and the body's encoding
 * and size are HTTP concerns handled before). Pure of HTTP: it takes the raw body and headers, returns an
 * answer. With an {@link Admission} and a `client`, the rate limit (step 2) and the nonce claim (step 6)
 * share one Redis round trip after the checks that need no Redis (3-5, and 7): the answers are those of
 * the contract's order — over the limit is 429 whatever else is wrong, a seen nonce is a duplicate even
 * when the resend is invalid, and an invalid alert claims nothing.
 */
export class IntakeService {
  private readonly authenticator: IntakeAuthenticator;
  private readonly now: () => number;

  constructor(private readonly deps: IntakeDeps) {
    this.now = deps.now ?? Date.now;
    this.authenticator = new IntakeAuthenticator(deps.auth, this.now);
  }

  async handle(req: IntakeRequest): Promise<IntakeResponse> {
    const response = await this.process(req);
    this.log(req.requestId, response, req.client?.ip);
    return response;
  }

  /**
   * Steps 6-8 for a caller authenticated by other means (the management API's `POST /signals`, `auth:
   * 'api'`): nonce claim, validation, queue, record, answered and logged exactly as the webhook's. The narrow
   * entry the API uses (src/api/routes/signal-submit-route.ts); keep its signature when reworking the path.
   */
  async accept(input: AcceptRequest): Promise<IntakeResponse> {
    const response = await this.acceptAuthenticated(input);
    this.log(input.requestId, response);
    return response;
  }

  private log(requestId: string, response: IntakeResponse, ip?: string): void {
    const fields = {
      requestId,
      outcome: response.outcome,
      ...(response.signalId ? { signalId: response.signalId } : {}),
    };
    if (response.outcome === 'rate_limited') this.deps.logger.warn('alert refused', { ...fields, ip });
    else if (response.status >= 400)
      this.deps.logger.warn('alert refused', { ...fields, reason: response.reason });
    else this.deps.logger.info(response.outcome === 'queued' ? 'alert queued' : 'alert duplicate', fields);
  }

  private async process(req: IntakeRequest): Promise<IntakeResponse> {
    const admission = req.client && this.deps.admission;
    const checked = this.check(req);
    if ('status' in checked) {
      if (!admission || !req.client) return checked;
      // Step 2 comes first: a refused request counts, and over the limit it is answered 429.
      const rate = await admission.count(req.client.key);
      return rate.limited ? rateLimited(rate) : { ...checked, rate };
    }
    const { body, auth } = checked;
    return this.acceptAuthenticated(
      {
        body,
        rawBody: req.rawBody,
        auth,
        requestId: req.requestId,
        ...(auth === 'hmac' ? { replayId: req.headers.id ?? '' } : {}),
      },
      req.client,
    );
  }

  /** Steps 6-8 (with step 2 when a `client` is given and admission is on). */
  private async acceptAuthenticated(
    input: AcceptRequest,
    client?: IntakeRequest['client'],
  ): Promise<IntakeResponse> {
    const { body, auth, requestId } = input;
    // 6. Replay / idempotency.
    const signalId = signalIdOf(input);
    const receivedAt = this.now();
    // 7. Validation (answered after the nonce: a resend of a queued alert is a duplicate, whatever it holds).
    const parsed = parseAlert(body, { defaultAccount: this.deps.accounts[0], accounts: this.deps.accounts });
    let claim: Awaited<ReturnType<IntakeService['claim']>>;
    try {
      claim = await this.claim(client, signalId, receivedAt, parsed.ok);
    } catch (error) {
      return this.unavailable(signalId, error);
    }
    const { rate, token } = claim;
    if (rate?.limited) return rateLimited(rate);
    if (token === undefined) {
      const duplicate = { id: signalId, status: 'duplicate' };
      return { status: 200, outcome: 'duplicate', signalId, body: duplicate, rate };
    }
    if (!parsed.ok) return { ...invalid(signalId, parsed.issues), rate };

    // 8. Queue, then record. The job is what matters; a failed record write is rebuilt by the worker.
    const signal: SignalEnvelope = {
      id: signalId,
      alert: parsed.alert,
      auth,
      requestId,
      receivedAt,
    };
    try {
      await this.deps.queue.enqueue(signal);
    } catch (error) {
      await this.deps.nonces.release(signalId, token).catch(() => undefined);
      return { ...this.unavailable(signalId, error), rate };
    }
    await this.deps.history.recordQueued(signal, this.now()).catch((error: Error) => {
      this.deps.logger.warn('signal record not written; the worker will write it', {
        requestId,
        signalId,
        error: error.message,
      });
    });
    return { status: 202, outcome: 'queued', signalId, body: { id: signalId, status: 'queued' }, rate };
  }

  /** Steps 3-5: content type, JSON, authentication and freshness — everything that needs no Redis. */
  private check(
    req: IntakeRequest,
  ): IntakeResponse | { body: Record<string, unknown>; auth: SignalEnvelope['auth'] } {
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
    const verdict = this.authenticator.authenticate(req, body);
    if ('failure' in verdict)
      return { status: 401, outcome: 'unauthorized', reason: verdict.failure, body: UNAUTHORIZED };
    return { body, auth: verdict.mode };
  }

  /**
   * Step 6 (with step 2 when admission is on): the nonce claimed for a valid alert, or only looked up
   * for an invalid one (it queues nothing, so its corrected resend must not be a "duplicate"). `token`
   * is the claim's release token (an invalid alert's: any string), `undefined` for a duplicate.
   */
  private async claim(
    client: IntakeRequest['client'],
    signalId: string,
    now: number,
    valid: boolean,
  ): Promise<{ rate?: RateCount; token?: string }> {
    const { admission, nonces, queue } = this.deps;
    const abandoned = async () => !(await queue.exists(signalId));
    if (!admission || !client) {
      const token = await nonces.claim(signalId, now, abandoned);
      if (token !== undefined && !valid) await nonces.release(signalId, token).catch(() => undefined);
      return { token };
    }
    const [rate, verdict] = await admission.admit(client.key, signalId, valid ? 'claim' : 'probe', now);
    if (verdict === undefined) return { rate };
    if (verdict.state === 'claimed') return { rate, token: verdict.token };
    if (verdict.state === 'free') return { rate, token: '' };
    // Seen: a duplicate once its job exists; a claim without a job settles first (see NonceStore).
    const token = await nonces.takeOver(signalId, now, abandoned, valid);
    return { rate, token };
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

function rateLimited(rate: RateCount): IntakeResponse {
  return {
    status: 429,
    outcome: 'rate_limited',
    rate,
    body: { error: 'rate_limited', message: 'too many alerts from this address; slow down' },
  };
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
