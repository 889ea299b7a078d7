import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import { type Redis } from 'ioredis';
import { defineLuaScript } from '../redis/lua-script';

const INCREMENT = defineLuaScript<[number, number]>(
  'thRateLimitIncrement',
  1,
  `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`,
);

/**
 * A fixed-window express-rate-limit store shared by every web process through Redis. Written here rather
 * than taken from rate-limit-redis because that store caches its script-load promise at start: if Redis
 * is down at boot, it rejects forever and rate limiting silently stays off. A {@link defineLuaScript} script
 * reloads itself on NOSCRIPT, so this one heals when Redis comes back.
 */
export class RedisRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;

  /**
   * @param onError - Called when Redis cannot count; the request then passes unlimited (fail open): the
   * intake itself answers 503 while Redis is down, and releases the nonce so the resend is not lost.
   */
  constructor(
    private readonly redis: Redis,
    readonly prefix: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    INCREMENT.install(redis);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    try {
      const [totalHits, ttl] = await INCREMENT.run(this.redis, [this.prefix + key], [this.windowMs]);
      return { totalHits, resetTime: new Date(Date.now() + ttl) };
    } catch (error) {
      this.onError(error as Error);
      return { totalHits: 0, resetTime: new Date(Date.now() + this.windowMs) };
    }
  }

  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
