import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import { type WatchItem } from './watch-item';

/**
 * Claims up to ARGV[3] items due at ARGV[1] (score ≤ now) by moving each one's score to now + lease
 * (ARGV[2]): another worker sees it again only when the lease ran out (its claimer died). KEYS: set, items.
 * Returns flat triples: signal id, item JSON, lease token (the new score, as Redis prints it).
 */
const CLAIM = defineLuaScript<string[]>(
  'thWatchClaim',
  2,
  `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
local result = {}
for _, id in ipairs(due) do
  local item = redis.call('HGET', KEYS[2], id)
  if item then
    redis.call('ZADD', KEYS[1], lease, id)
    table.insert(result, id)
    table.insert(result, item)
    table.insert(result, redis.call('ZSCORE', KEYS[1], id))
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return result`,
);

/**
 * Ends a claim: reschedules the item (ARGV[3] = next check, ARGV[4] = item JSON) or removes it (ARGV[3] =
 * ''), but only while the claim is still the caller's (the score is its lease token ARGV[2]; ARGV[1] is the signal id): a worker whose
 * lease ran out must not overwrite the worker that claimed the item after it. KEYS: set, items.
 */
const RELEASE = defineLuaScript<number>(
  'thWatchRelease',
  2,
  `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
end
return 1`,
);

/** A claimed item: checked by one worker at a time until released. */
export interface WatchClaim {
  signalId: string;
  item: WatchItem;
  /** Proves the claim is still the holder's when it is released. */
  lease: string;
}

/**
 * The order watch list in Redis, shared by every worker process: signal ids in a sorted set by next check
 * time, with their items beside them. Survives restarts; a claim is a lease, so a worker that dies holding
 * items only delays them. Items are added by {@link SignalStore} when a run ends (atomically with its status).
 */
export class OrderWatchList {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Claims up to `limit` items due at `now` for `leaseMs`. */
  async claim(options: { now: number; leaseMs: number; limit: number }): Promise<WatchClaim[]> {
    const flat = await CLAIM.run(
      this.redis,
      [this.keys.watch, this.keys.watchItems],
      [options.now, options.leaseMs, options.limit],
    );
    const claims: WatchClaim[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      claims.push({ signalId: flat[i], item: JSON.parse(flat[i + 1]) as WatchItem, lease: flat[i + 2] });
    }
    return claims;
  }

  /** Puts a claimed item back, due at `nextAt`. `false` if the claim had been lost. */
  async reschedule(claim: WatchClaim, nextAt: number, item: WatchItem): Promise<boolean> {
    const done = await RELEASE.run(
      this.redis,
      [this.keys.watch, this.keys.watchItems],
      [claim.signalId, claim.lease, nextAt, JSON.stringify(item)],
    );
    return done === 1;
  }

  /** Takes a claimed item off the list: nothing left to watch. `false` if the claim had been lost. */
  async remove(claim: WatchClaim): Promise<boolean> {
    const done = await RELEASE.run(
      this.redis,
      [this.keys.watch, this.keys.watchItems],
      [claim.signalId, claim.lease, ''],
    );
    return done === 1;
  }

  /** Signal ids on the list with their next check time (for operators and tests). */
  async entries(): Promise<{ signalId: string; nextAt: number }[]> {
    const flat = await this.redis.zrange(this.keys.watch, 0, -1, 'WITHSCORES');
    const entries: { signalId: string; nextAt: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      entries.push({ signalId: flat[i], nextAt: Number(flat[i + 1]) });
    return entries;
  }
}
