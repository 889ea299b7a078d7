import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import { generateToken, sha256Hex } from './key-material';

/** KEYS: session, keySessions. ARGV: keyId, createdAt, expiresAt, idleMs, absoluteMs, sessionHash. */
const CREATE_SESSION = defineLuaScript<number>(
  'thSessionCreate',
  2,
  `
redis.call('HSET', KEYS[1], 'keyId', ARGV[1], 'createdAt', ARGV[2], 'expiresAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[6])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return 1`,
);

/**
 * Reads a session and slides its idle expiry (never past its absolute expiry); deletes it once the absolute
 * expiry has passed. KEYS: session. ARGV: now, idleMs. Returns [keyId, expiresAt, createdAt] or nil.
 */
const TOUCH_SESSION = defineLuaScript<string[] | null>(
  'thSessionTouch',
  1,
  `
local f = redis.call('HMGET', KEYS[1], 'keyId', 'expiresAt', 'createdAt')
if not f[1] then return nil end
local left = tonumber(f[2]) - tonumber(ARGV[1])
if left <= 0 then redis.call('DEL', KEYS[1]); return nil end
redis.call('PEXPIRE', KEYS[1], math.min(left, tonumber(ARGV[2])))
return {f[1], f[2], f[3]}`,
);

export interface SessionTimes {
  /** A session unused this long ends. @defaultValue 12 h */
  idleMs?: number;
  /** A session ends this long after sign-in, used or not. @defaultValue 7 days */
  absoluteMs?: number;
}

export interface Session {
  keyId: string;
  createdAt: number;
  /** The absolute end (sign in again after it). */
  expiresAt: number;
  /** When the session ends if it is not used before. */
  idleExpiresAt: number;
}

export const DEFAULT_SESSION_IDLE_MS = 12 * 3600_000;
export const DEFAULT_SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;

/**
 * Dashboard sessions: a random cookie value whose SHA-256 names the Redis record, so that a Redis dump holds
 * no usable session. A session always belongs to one API key and is worth no more than that key: every
 * request re-checks the key (revoked or expired ends the session), and revoking the key deletes its sessions.
 */
export class SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    times: SessionTimes = {},
  ) {
    this.idleMs = times.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.absoluteMs = times.absoluteMs ?? DEFAULT_SESSION_ABSOLUTE_MS;
  }

  /**
   * Starts a session for a key; returns the cookie value (never stored) and the session. It ends no later
   * than `keyExpiresAt`, when the key has one.
   */
  async create(options: {
    keyId: string;
    now: number;
    keyExpiresAt?: number;
  }): Promise<{ token: string; session: Session }> {
    const token = generateToken();
    const hash = sha256Hex(token);
    const { keyId, now } = options;
    const expiresAt = Math.min(now + this.absoluteMs, options.keyExpiresAt ?? Infinity);
    const idleMs = Math.max(1, Math.min(this.idleMs, expiresAt - now));
    await CREATE_SESSION.run(
      this.redis,
      [this.keys.session(hash), this.keys.keySessions(keyId)],
      [keyId, now, expiresAt, idleMs, Math.max(1, expiresAt - now), hash],
    );
    return { token, session: { keyId, createdAt: now, expiresAt, idleExpiresAt: now + idleMs } };
  }

  /** The live session of a cookie value, its idle expiry pushed back; undefined if none. */
  async resolve(token: string, now: number): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const reply = await TOUCH_SESSION.run(
      this.redis,
      [this.keys.session(sha256Hex(token))],
      [now, this.idleMs],
    );
    if (!reply) return undefined;
    const [keyId, expiresAt, createdAt] = reply;
    const end = Number(expiresAt);
    return {
      keyId,
      createdAt: Number(createdAt),
      expiresAt: end,
      idleExpiresAt: Math.min(end, now + this.idleMs),
    };
  }

  /**
   * Whether a cookie value's session still exists (not signed out, not expired: its Redis entry lives as long
   * as the session), without pushing its idle expiry back: for checks that are not the user's activity.
   */
  async alive(token: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
    return (await this.redis.exists(this.keys.session(sha256Hex(token)))) === 1;
  }

  /** Ends one session (logout). */
  async destroy(token: string, keyId: string): Promise<void> {
    const hash = sha256Hex(token);
    await this.redis.multi().del(this.keys.session(hash)).srem(this.keys.keySessions(keyId), hash).exec();
  }
}
