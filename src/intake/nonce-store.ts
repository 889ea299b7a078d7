import { type Redis } from 'ioredis';
import { defineLuaScript } from '../redis/lua-script';
import { claimValue } from './nonce-claim';

/**
 * Claims a nonce atomically. The value is the claim time and the claiming request's mark
 * (`nonce-claim.ts`); a nonce that already holds this very value is this request's own claim, executed
 * before a dropped connection made ioredis resend it. A claim that is still "pending" (its job never
 * appeared) after `staleMs` may be taken over: that is a request which died between claiming and
 * queueing, and its sender's resend must not be answered "duplicate" for an alert nothing queued.
 * ARGV: claim value, TTL ms, stale ms, takeover allowed ('1'/'0'), now ms.
 */
const CLAIM_SCRIPT = defineLuaScript<number>(
  'thClaimNonce',
  1,
  `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then return 1 end
local claimedAt = tonumber(string.match(v, '^%d+'))
if ARGV[4] == '1' and claimedAt and tonumber(ARGV[5]) - claimedAt > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`,
);

const RELEASE_SCRIPT = defineLuaScript<number>(
  'thReleaseNonce',
  1,
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

export interface NonceStoreOptions {
  /** How long a nonce is remembered; must cover the whole timestamp window in both directions. */
  ttlMs: number;
  /** After this long a claim whose job does not exist is considered abandoned. @defaultValue 5000 */
  staleMs?: number;
}

export class NonceStore {
  private readonly staleMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: (signalId: string) => string,
    private readonly options: NonceStoreOptions,
  ) {
    this.staleMs = options.staleMs ?? 5000;
    CLAIM_SCRIPT.install(redis);
    RELEASE_SCRIPT.install(redis);
  }

  /**
   * Claims `signalId`'s nonce. Returns a release token on success; `undefined` when it was seen before.
   * `abandoned` is consulted only on a collision, to tell a live claim from one whose request died.
   */
  async claim(signalId: string, now: number, abandoned: () => Promise<boolean>): Promise<string | undefined> {
    const token = claimValue(now);
    const claim = (allowTakeover: boolean) =>
      CLAIM_SCRIPT.run(
        this.redis,
        [this.key(signalId)],
        [token, this.options.ttlMs, this.staleMs, allowTakeover ? '1' : '0', now],
      );
    if ((await claim(false)) === 1) return token;
    if (!(await abandoned())) return undefined;
    return (await claim(true)) === 1 ? token : undefined;
  }

  /**
   * A nonce found held since `claimedAt` (by {@link Admission}): taken over when that claim is stale and
   * `abandoned` says its job never appeared. Returns the new claim's release token (`claim` true), `''`
   * when the nonce is free for an alert that claims nothing (`claim` false), `undefined` for a duplicate.
   */
  async takeOver(
    signalId: string,
    claimedAt: number,
    now: number,
    abandoned: () => Promise<boolean>,
    claim: boolean,
  ): Promise<string | undefined> {
    if (!(now - claimedAt > this.staleMs) || !(await abandoned())) return undefined;
    if (!claim) return '';
    const token = claimValue(now);
    const taken = await CLAIM_SCRIPT.run(
      this.redis,
      [this.key(signalId)],
      [token, this.options.ttlMs, this.staleMs, '1', now],
    );
    return taken === 1 ? token : undefined;
  }

  /** Releases a claim we hold (only if it is still ours), so that a resend after a 503 is not a duplicate. */
  async release(signalId: string, token: string): Promise<void> {
    await RELEASE_SCRIPT.run(this.redis, [this.key(signalId)], [token]);
  }
}
