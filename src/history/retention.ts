import { type Redis } from 'ioredis';
import { type EventLog } from '../events/event-log';
import { type Logger } from '../observability/logger';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';

/**
 * Removes up to ARGV[3] signals received before ARGV[2] (epoch ms): each record with its entries in every
 * index, the dead-letter lists and the order watch. KEYS: global index, dead letters, handled dead letters,
 * watch set, watch items. ARGV: index prefix, cutoff, batch size, record key prefix. Returns how many.
 * A record whose hash already expired (the worker was down past the grace) leaves its attribute index
 * entries behind; lists skip them (no item).
 */
const SWEEP = defineLuaScript<number>(
  'thHistorySweep',
  5,
  `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local prefix = ARGV[1]
for _, id in ipairs(ids) do
  local record = ARGV[4] .. id
  local h = redis.call('HMGET', record, 'status', 'account', 'symbolKey', 'strategy')
  if h[1] then redis.call('ZREM', prefix .. ':st:' .. h[1], id) end
  if h[2] and h[2] ~= '' then redis.call('ZREM', prefix .. ':acct:' .. h[2], id) end
  if h[3] and h[3] ~= '' then redis.call('ZREM', prefix .. ':sym:' .. h[3], id) end
  if h[4] and h[4] ~= '' then redis.call('ZREM', prefix .. ':strat:' .. h[4], id) end
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('HDEL', KEYS[5], id)
  redis.call('DEL', record)
end
return #ids`,
);

export interface HistoryRetentionOptions {
  redis: Redis;
  keys: RedisKeys;
  /** `HISTORY_RETENTION_DAYS`. */
  retentionDays: number;
  /** The event log, trimmed to the same retention. */
  events: EventLog;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
  /** Between sweeps. @defaultValue 60000 */
  intervalMs?: number;
  /** Records removed per script call (each call is a few ms of Redis at most). @defaultValue 200 */
  batchSize?: number;
  /** Script calls per sweep at most; the rest waits for the next sweep. @defaultValue 50 */
  maxBatchesPerSweep?: number;
}

/**
 * The worker's history retention: old signal records and their index entries are removed in small batches
 * on an interval, yielding to the event loop between batches, so that neither the queue nor a request ever
 * waits on it; the event log and the audit trail are trimmed to the same age.
 */
export class HistoryRetention {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly now: () => number;

  constructor(private readonly options: HistoryRetentionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** One sweep: every record received before now − retention (up to the batch limit). Returns how many. */
  async sweep(): Promise<number> {
    const { redis, keys } = this.options;
    const cutoff = this.now() - this.options.retentionDays * 86_400_000;
    const batch = this.options.batchSize ?? 200;
    let removed = 0;
    for (let i = 0; i < (this.options.maxBatchesPerSweep ?? 50); i++) {
      const n = await SWEEP.run(
        redis,
        [keys.signalIndex, keys.deadLetter, keys.deadLetterHandled, keys.watch, keys.watchItems],
        [keys.signalIndexPrefix, cutoff, batch, keys.signal('')],
      );
      removed += n;
      if (n < batch) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.options.events.trimBefore(cutoff);
    // The audit trail is kept as long (its appends trim it too, but a quiet API appends nothing).
    await redis.xtrim(keys.audit, 'MINID', String(Math.max(0, cutoff)));
    if (removed > 0) this.options.logger.info('history retention removed old signals', { removed });
    return removed;
  }

  start(): void {
    const run = () => {
      this.running = this.sweep().catch((error: Error) => {
        this.options.logger.warn('history retention sweep failed; retrying at the next one', {
          error: error.message,
        });
        return 0;
      });
    };
    this.timer = setInterval(run, this.options.intervalMs ?? 60_000);
    this.timer.unref();
    run();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
