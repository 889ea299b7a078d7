import { keyState } from './api-key';
import { digestsEqual, isWellFormedApiKey, sha256Hex } from './key-material';
import { type KeyStore } from './key-store';
import { type Role } from './roles';
import { type Session, type SessionStore } from './session-store';

/** Who is calling: an API key, presented directly (bearer) or through a dashboard session. */
export interface Principal {
  keyId: string;
  keyName: string;
  role: Role;
  via: 'bearer' | 'session';
  /** The session (and its cookie value, for logout) when `via` is `session`. */
  session?: Session & { token: string };
  rateLimit: { limit: number; remaining: number; resetSeconds: number };
}

/** Why a request is not authenticated: logged, never answered (the answer is always a plain 401). */
export type AuthFailure = 'malformed' | 'unknown_key' | 'revoked' | 'expired' | 'unknown_session';

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; reason: AuthFailure }
  | { ok: false; reason: 'rate_limited'; principal: Principal; retryAfterSeconds: number };

export interface KeyAuthenticatorOptions {
  store: KeyStore;
  sessions: SessionStore;
  /** `API_RATE_LIMIT_PER_MINUTE`: the budget of a key that sets none. */
  defaultRateLimitPerMinute: number;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue 60000 */
  windowMs?: number;
  /** @defaultValue 60000 */
  lastUsedEveryMs?: number;
}

/** Bounds the hash → id memo; when full it starts over (a miss costs one HGET). */
const ID_MEMO_SIZE = 10_000;

/**
 * Authenticates management API requests. Nothing that can change is cached: every request reads the key's
 * record (one Redis round trip that also counts the rate limit), so a revocation or an expiry applies to the
 * very next request in every web process. Only hash → id is memoised, which never changes for a key.
 */
export class KeyAuthenticator {
  private readonly ids = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly options: KeyAuthenticatorOptions) {
    this.now = options.now ?? Date.now;
  }

  async bearer(rawKey: string): Promise<AuthOutcome> {
    if (!isWellFormedApiKey(rawKey)) return { ok: false, reason: 'malformed' };
    const hash = sha256Hex(rawKey);
    let id = this.ids.get(hash);
    if (id === undefined) {
      id = await this.options.store.idForHash(hash);
      if (id === undefined) return { ok: false, reason: 'unknown_key' };
      if (this.ids.size >= ID_MEMO_SIZE) this.ids.clear();
      this.ids.set(hash, id);
    }
    return this.check(id, { via: 'bearer', hash });
  }

  async session(token: string): Promise<AuthOutcome> {
    const now = this.now();
    const session = await this.options.sessions.resolve(token, now);
    if (!session) return { ok: false, reason: 'unknown_session' };
    const outcome = await this.check(session.keyId, { via: 'session', session: { ...session, token } });
    // A session is worth no more than its key: gone with it (revocation already deleted it; expiry does here).
    if (!outcome.ok && outcome.reason !== 'rate_limited')
      await this.options.sessions.destroy(token, session.keyId);
    return outcome;
  }

  private async check(
    id: string,
    via: { via: 'bearer'; hash: string } | { via: 'session'; session: Session & { token: string } },
  ): Promise<AuthOutcome> {
    const now = this.now();
    const windowMs = this.options.windowMs ?? 60_000;
    const key = await this.options.store.check(id, {
      now,
      windowMs,
      lastUsedEveryMs: this.options.lastUsedEveryMs ?? 60_000,
    });
    if (!key) return { ok: false, reason: 'unknown_key' };
    if (via.via === 'bearer' && !digestsEqual(key.hash, via.hash))
      return { ok: false, reason: 'unknown_key' };
    const state = keyState(key, now);
    if (state !== 'active') return { ok: false, reason: state };
    const limit = key.rateLimitPerMinute ?? this.options.defaultRateLimitPerMinute;
    const resetSeconds = Math.max(1, Math.ceil(key.windowLeftMs / 1000));
    const principal: Principal = {
      keyId: id,
      keyName: key.name,
      role: key.role,
      via: via.via,
      ...(via.via === 'session' ? { session: via.session } : {}),
      rateLimit: { limit, remaining: Math.max(0, limit - key.hits), resetSeconds },
    };
    if (key.hits > limit)
      return { ok: false, reason: 'rate_limited', principal, retryAfterSeconds: resetSeconds };
    return { ok: true, principal };
  }
}
