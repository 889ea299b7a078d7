import { Redis } from 'ioredis';
import { SignalQuery, type SignalFilter } from '../src/history/signal-query';
import { redisKeys } from '../src/redis/keys';
import { startOwnRedis } from '../test/support/own-redis';
import { seedHistory } from './history-seed';

/**
 * Where a listing's time goes, at `BENCH_HISTORY_RECORDS` (default 1,000,000) seeded records: per query
 * shape, the server time of each Redis command of one page (SLOWLOG at 0 µs), round trips, and the index
 * entries examined. `npm run bench:history-profile`.
 */
async function main(): Promise<void> {
  const records = Number(process.env.BENCH_HISTORY_RECORDS ?? 1_000_000);
  const server = await startOwnRedis();
  const redis = new Redis(server.url);
  try {
    const prefix = 'profile';
    const newest = Date.now();
    await seedHistory(redis, { prefix, records, newest, progress: (l) => console.log(l) });
    const query = new SignalQuery(redis, redisKeys(prefix));
    const day = 86_400_000;
    const shapes: Array<[string, SignalFilter]> = [
      ['none', {}],
      ['status', { statuses: ['failed'] }],
      ['two statuses', { statuses: ['failed', 'expired'] }],
      ['account', { account: 'acct-2' }],
      ['symbol', { symbol: 'SYM17USDT' }],
      ['strategy', { strategy: 'strat-3' }],
      ['account+symbol', { account: 'acct-1', symbol: 'SYM4USDT' }],
      ['acct+status+7d', { account: 'acct-3', statuses: ['rejected'], since: newest - 7 * day }],
      ['rare', { symbol: 'SYM9USDT', strategy: 'strat-7', statuses: ['canceled'] }],
      ['until 100d ago', { until: newest - 100 * day }],
    ];
    for (const [name, filter] of shapes) {
      for (let w = 0; w < 3; w++) await query.list(filter, { limit: 50 });
      await redis.config('SET', 'slowlog-log-slower-than', '0');
      await redis.slowlog('RESET');
      const started = performance.now();
      const page = await query.list(filter, { limit: 50 });
      const ms = performance.now() - started;
      const log = (await redis.slowlog('GET', 100)) as Array<[number, number, number, string[]]>;
      await redis.config('SET', 'slowlog-log-slower-than', '10000');
      const commands = log
        .filter((e) => !['HGET', 'ZSCORE'].includes(String(e[3][0])))
        .filter((e) => !['slowlog', 'config'].includes(String(e[3][0]).toLowerCase()))
        .map((e) => `${e[3][0]} ${e[2]}µs`);
      console.log(
        `${name.padEnd(16)} ${ms.toFixed(2)} ms  items ${page.items.length} examined ${page.examined}  ${commands.join(', ')}`,
      );
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

void main();
