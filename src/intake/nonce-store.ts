import { type Redis } from 'ioredis';
import { defineLuaScript } from '../redis/lua-script';
import { claimValue, claimedAtOf } from './nonce-claim';

/** How often a request waiting for another's fresh claim looks again. */
const SETTLE_POLL_MS = 50;

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
  /**
   * How long a request that finds a fresh claim without a job waits for that claim to settle (its job
   * appears, or it is released or turns stale) before answering 503. @defaultValue 2000
   */
  settleMs?: number;
}

/** A fresh claim of another request neither queued its alert nor went away within `settleMs`. */
export class NonceUnsettledError extends Error {
  constructor() {
    super('an earlier request of this alert claimed it and has not queued it');
    this.name = 'NonceUnsettledError';
  }
}

export class NonceStore {
  private readonly staleMs: number;
  private readonly settleMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: (signalId: string) => string,
    private readonly options: NonceStoreOptions,
  ) {
    this.staleMs = options.staleMs ?? 5000;
    this.settleMs = options.settleMs ?? 2000;
    CLAIM_SCRIPT.install(redis);
    RELEASE_SCRIPT.install(redis);
  }

  /**
   * Claims `signalId`'s nonce. Returns a release token on success; `undefined` when it was seen before
   * (its job exists). `abandoned` (no job for the signal) is consulted only on a collision: see {@link settle}.
   */
  async claim(signalId: string, now: number, abandoned: () => Promise<boolean>): Promise<string | undefined> {
    const token = claimValue(now);
    if ((await this.run(signalId, token, now, false)) === 1) return token;
    return this.settle(signalId, now, abandoned, true);
  }

  /**
   * A nonce found held (by {@link Admission}): see {@link settle}. Returns the new claim's release token
   * (`claim` true), `''` when the nonce is free for an alert that claims nothing (`claim` false), `undefined`
   * for a duplicate.
   */
  async takeOver(
    signalId: string,
    now: number,
    abandoned: () => Promise<boolean>,
    claim: boolean,
  ): Promise<string | undefined> {
    return this.settle(signalId, now, abandoned, claim);
  }

  /**
   * A held nonce is a duplicate only once its alert is queued (`abandoned` false). A claim without a job is
   * either a request queueing it right now, or one that failed and could not release it (Redis failed under
   * it) — answering that resend "duplicate" would lose the alert, as the sender does not resend after a 200.
   * So it waits, up to `settleMs`: the job appears → duplicate; the claim is released, or turns stale (older
   * than `staleMs`: its request died) → this request claims it; neither → {@link NonceUnsettledError} (the
   * intake answers 503 and the sender resends).
   */
  private async settle(
    signalId: string,
    now: number,
    abandoned: () => Promise<boolean>,
    claim: boolean,
  ): Promise<string | undefined> {
    const started = Date.now();
    for (;;) {
      if (!(await abandoned())) return undefined;
      const at = now + (Date.now() - started);
      if (claim) {
        const token = claimValue(at);
        if ((await this.run(signalId, token, at, true)) === 1) return token;
      } else {
        const held = await this.redis.get(this.key(signalId));
        if (held === null || at - claimedAtOf(held) > this.staleMs) return '';
      }
      if (Date.now() - started >= this.settleMs) throw new NonceUnsettledError();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  private run(signalId: string, token: string, now: number, allowTakeover: boolean): Promise<number> {
    return CLAIM_SCRIPT.run(
      this.redis,
      [this.key(signalId)],
      [token, this.options.ttlMs, this.staleMs, allowTakeover ? '1' : '0', now],
    );
  }

  /** Releases a claim we hold (only if it is still ours), so that a resend after a 503 is not a duplicate. */
  async release(signalId: string, token: string): Promise<void> {
    await RELEASE_SCRIPT.run(this.redis, [this.key(signalId)], [token]);
  }
}
