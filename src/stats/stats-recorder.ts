import { type Redis } from 'ioredis';
import { type Logger } from '../observability/logger';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import { DAY_MS } from './stats-dimensions';
import { STATS_LUA } from './stats-lua';

/** KEYS: record. ARGV: statistics key prefix, now (epoch ms), history retention (ms). '' or the error. */
const RECORD = defineLuaScript<string>(
  'thStatsRecord',
  1,
  `${STATS_LUA}
return th_stats_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) or ''`,
);

export interface StatsRecorderOptions {
  redis: Redis;
  keys: RedisKeys;
  /** `HISTORY_RETENTION_DAYS`: hour and day buckets live as long as the records. */
  retentionDays: number;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * Brings the statistics in line with a record outside a status change. Status changes keep the statistics
 * themselves, in the signal store's transition script (src/history/signal-scripts.ts, with the same Lua):
 * this is for repairs, and recording a signal again changes nothing (it counts once).
 */
export class StatsRecorder {
  private readonly now: () => number;
  private readonly retentionMs: number;

  constructor(private readonly options: StatsRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionDays * DAY_MS;
  }

  /** Statistics are secondary: a failure is logged, never thrown. */
  async record(signalId: string): Promise<void> {
    const { redis, keys, logger } = this.options;
    const error = await RECORD.run(
      redis,
      [keys.signal(signalId)],
      [keys.stats, this.now(), this.retentionMs],
    );
    if (error) logger.warn('statistics not updated', { signalId, error });
  }
}
