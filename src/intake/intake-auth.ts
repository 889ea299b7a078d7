import { type AuthMode } from '../signals/signal';
import { freshnessProblem, parseTimestamp } from '../signals/timestamp';
import { type SignatureHeaders, secretKey, verifySignature } from './hmac';
import { makeTokenChecker } from './token';

export interface IntakeAuthOptions {
  secrets: string[];
  tokens: string[];
  allowTokenAuth: boolean;
  requireTimestamp: boolean;
  toleranceSeconds: number;
}

/** What authentication looks at: the raw body, the signature headers, the token of the path. */
export interface AuthInput {
  rawBody: Buffer;
  headers: SignatureHeaders;
  pathToken?: string;
}

/** Steps 4 and 5 of docs/contract.md "Intake": authentication (HMAC, else token) and freshness. */
export class IntakeAuthenticator {
  private readonly keys: Buffer[];
  private readonly tokenMatches: (token: string) => boolean;

  constructor(
    private readonly auth: IntakeAuthOptions,
    private readonly now: () => number,
  ) {
    this.keys = auth.secrets.map(secretKey);
    this.tokenMatches = makeTokenChecker(auth.tokens);
  }

  /** The auth mode, or why the request is refused (logged, never answered). */
  authenticate(req: AuthInput, body: Record<string, unknown>): { mode: AuthMode } | { failure: string } {
    const { toleranceSeconds } = this.auth;
    const now = this.now();
    const verdict = (mode: AuthMode, timestampMs: number) => {
      const problem = freshnessProblem(timestampMs, now, toleranceSeconds);
      return problem ? { failure: problem } : { mode };
    };
    if (req.headers.signature !== undefined) {
      if (this.keys.length === 0) return { failure: 'hmac_not_configured' };
      const failure = verifySignature(this.keys, req.headers, req.rawBody);
      if (failure) return { failure };
      // A body `timestamp` is held to the token mode's rules too: it is the alert's time, and the
      // worker's expiry counts from it, so a stale one must not slip in under a fresh signature.
      if (body.timestamp !== undefined) {
        const problem = this.bodyTimestampProblem(body.timestamp, now);
        if (problem) return { failure: problem };
      }
      return verdict('hmac', Number(req.headers.timestamp) * 1000);
    }
    if (!this.auth.allowTokenAuth) return { failure: 'token_auth_disabled' };
    if (this.auth.tokens.length === 0) return { failure: 'token_auth_not_configured' };
    const presented = req.pathToken ?? firstString(body.token, body.passphrase);
    if (presented === undefined) return { failure: 'missing_credentials' };
    if (!this.tokenMatches(presented)) return { failure: 'bad_token' };
    if (body.timestamp === undefined) {
      return this.auth.requireTimestamp ? { failure: 'timestamp_missing' } : { mode: 'token' };
    }
    const problem = this.bodyTimestampProblem(body.timestamp, now);
    return problem ? { failure: problem } : { mode: 'token' };
  }

  /** Why the body's `timestamp` is unacceptable (malformed, or outside the tolerance), else `undefined`. */
  private bodyTimestampProblem(value: unknown, now: number): string | undefined {
    const ts = parseTimestamp(value);
    if (ts === undefined) return 'timestamp_malformed';
    return freshnessProblem(ts, now, this.auth.toleranceSeconds);
  }
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
