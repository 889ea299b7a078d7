import { Redis } from 'ioredis';
import { EventLog, newEvent } from '../../../src/events/event-log';
import { HistoryRetention, type HistoryRetentionOptions } from '../../../src/history/retention';
import { SignalQuery } from '../../../src/history/signal-query';
import { redisKeys } from '../../../src/redis/keys';
import { silentLogger } from '../../support/memory/main-account';
import { seedSignal } from '../../support/seed-signal';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const DAY = 86_400_000;

describe('history retention (HISTORY_RETENTION_DAYS)', () => {
  const prefix = uniquePrefix('retention');
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const events = new EventLog({ redis, key: keys.events });
  let now = Date.UTC(2026, 10, 30, 12);
  /** A 30-day retention of this history on the test clock (`now`); `options` override. */
  const retention = (options: Partial<HistoryRetentionOptions> = {}) =>
    new HistoryRetention({
      redis,
      keys,
      retentionDays: 30,
      events,
      logger: silentLogger,
      now: () => now,
      ...options,
    });

  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when the clock passes the retention, then old records leave the history, every index and the dead letters in small batches; newer ones stay', async () => {
    const old: string[] = [];
    for (let i = 0; i < 25; i++) {
      old.push(
        await seedSignal(redis, prefix, i % 2 === 0 ? 'failed' : 'filled', {
          now: now - 31 * DAY + i,
          alert: { account: 'main', symbol: 'BTCUSDT', comment: 'old strategy' },
        }),
      );
    }
    const recent = await seedSignal(redis, prefix, 'failed', {
      now: now - 29 * DAY,
      alert: { account: 'main', symbol: 'BTCUSDT', comment: 'old strategy' },
    });

    const tenAtATime = retention({ batchSize: 10 });
    expect(await tenAtATime.sweep()).toBe(25);

    for (const id of old) expect(await redis.exists(keys.signal(id))).toBe(0);
    const everything = await new SignalQuery(redis, keys).list({}, { limit: 200 });
    expect(everything.items.map((i) => i.id)).toEqual([recent]);
    for (const filter of [
      { account: 'main' },
      { symbol: 'BTCUSDT' },
      { strategy: 'old strategy' },
      { statuses: ['failed' as const, 'filled' as const] },
    ]) {
      expect(
        (await new SignalQuery(redis, keys).list(filter, { limit: 200 })).items.map((i) => i.id),
      ).toEqual([recent]);
    }
    expect(await redis.zrange(keys.deadLetter, 0, -1)).toEqual([recent]);
    const leftover = await redis.keys(`${prefix}:sx:*`);
    for (const key of leftover) expect(await redis.zrange(key, 0, -1)).toEqual([recent]);

    // Two days later the recent one is old too.
    now += 2 * DAY;
    expect(await tenAtATime.sweep()).toBe(1);
    expect(await redis.zcard(keys.signalIndex)).toBe(0);
  });

  it('trims the event log to the same age (stream positions are the time of writing)', async () => {
    // A log of its own: the signal scripts above wrote their events (at wall-clock positions) to the other.
    const log = new EventLog({ redis, key: `${prefix}:events-only` });
    await log.append(newEvent('ping', {}));
    const later = retention({ events: log, now: () => Date.now() + 30 * DAY + 60_000 });
    const fresh = retention({ events: log, now: Date.now });
    await fresh.sweep();
    expect(await log.readAfter('0')).toHaveLength(1);
    await later.sweep();
    expect(await log.readAfter('0')).toEqual([]);
  });

  it('trims the audit trail to the same age, also when no audited write comes', async () => {
    // Stream positions are the time of writing: one entry 31 days old, one 29.
    await redis.xadd(keys.audit, `${now - 31 * DAY}-0`, 'action', 'key.create');
    await redis.xadd(keys.audit, `${now - 29 * DAY}-0`, 'action', 'key.revoke');
    await retention().sweep();
    const left = await redis.xrange(keys.audit, '-', '+');
    expect(left.map(([, fields]) => fields[1])).toEqual(['key.revoke']);
  });

  it('stops after its batch limit per sweep and finishes at the next one', async () => {
    for (let i = 0; i < 12; i++) await seedSignal(redis, prefix, 'done', { now: now - 40 * DAY + i });
    const limited = retention({ batchSize: 5, maxBatchesPerSweep: 2 });
    expect(await limited.sweep()).toBe(10);
    expect(await limited.sweep()).toBe(2);
    expect(await limited.sweep()).toBe(0);
  });
});
