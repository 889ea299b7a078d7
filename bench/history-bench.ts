import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config';
import { KeyStore } from '../src/keys/key-store';
import { startWeb } from '../src/main/web-process';
import { createLogger } from '../src/observability/logger';
import { redisKeys } from '../src/redis/keys';
import { startOwnRedis } from '../test/support/own-redis';
import { SEED_SHAPE, seedHistory } from './history-seed';

export interface HistoryBenchOptions {
  /** Records seeded. @defaultValue 1000000 (`--records N` or `BENCH_HISTORY_RECORDS`) */
  records: number;
  /** Requests per query shape. @defaultValue 100 */
  repeats: number;
  progress: (line: string) => void;
}

export interface QueryFigures {
  name: string;
  query: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  items: number;
}

export interface HistoryBenchFigures {
  records: number;
  seedSeconds: number;
  redisMemoryMb: number;
  queries: QueryFigures[];
  overall: { requests: number; p50Ms: number; p99Ms: number };
  target: { p99Ms: number; met: boolean };
}

const TARGET_P99_MS = 50;

/** Command-line / environment overrides of the history benchmark. */
export function historyOptionsFromEnv(
  argv = process.argv,
  env = process.env,
): Omit<HistoryBenchOptions, 'progress'> {
  const flag = argv.indexOf('--records');
  const raw = flag >= 0 ? argv[flag + 1] : env.BENCH_HISTORY_RECORDS;
  const records = raw === undefined ? 1_000_000 : Number(raw);
  if (!Number.isInteger(records) || records < 1000)
    throw new Error(`--records: an integer >= 1000, got "${raw}"`);
  return { records, repeats: Number(env.BENCH_HISTORY_REPEATS ?? 100) };
}

/** The query shapes measured: each filter alone, combinations, a rare combination, deep pages. */
function shapes(newest: number): Array<{ name: string; query: Record<string, string>; pages?: number }> {
  const day = 86_400_000;
  return [
    { name: 'newest 50, no filter', query: {} },
    { name: 'one status', query: { status: 'failed' } },
    { name: 'two statuses', query: { status: 'failed,expired' } },
    { name: 'account', query: { account: 'acct-2' } },
    { name: 'symbol', query: { symbol: 'BINANCE:SYM17USDT' } },
    { name: 'strategy', query: { strategy: 'strat-3' } },
    { name: 'account + symbol', query: { account: 'acct-1', symbol: 'SYM4USDT' } },
    {
      name: 'account + status + last 7 days',
      query: { account: 'acct-3', status: 'rejected', since: new Date(newest - 7 * day).toISOString() },
    },
    {
      name: 'rare: symbol + strategy + status',
      query: { symbol: 'SYM9USDT', strategy: 'strat-7', status: 'canceled' },
    },
    { name: 'pages 2-10 (cursor), no filter', query: {}, pages: 10 },
  ];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * `GET /api/v1/signals` over HTTP against the real web process, on a private redis-server holding
 * `records` seeded signals: per query shape, `repeats` sequential requests (keep-alive), latency p50/p99.
 */
export async function runHistoryBench(options: HistoryBenchOptions): Promise<HistoryBenchFigures> {
  // A redis-server of the benchmark's own: a million records must neither block nor fill the shared Redis.
  const redisServer = await startOwnRedis();
  const prefix = 'bench-history';
  const redis = new Redis(redisServer.url);
  try {
    const newest = Date.now();
    const seedStart = performance.now();
    await seedHistory(redis, { prefix, records: options.records, newest, progress: options.progress });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const memory = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? '0';
    options.progress(`seeded ${options.records} records in ${seedSeconds.toFixed(1)} s`);

    const { rawKey } = await new KeyStore(redis, redisKeys(prefix)).issue(
      { name: 'bench', role: 'viewer', rateLimitPerMinute: 100_000_000 },
      Date.now(),
    );
    const config = loadConfig({
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: prefix,
      WEBHOOK_TOKENS: 'bench-token-123',
      PORT: '0',
      LOG_LEVEL: 'info',
      ACCOUNTS: JSON.stringify(
        Array.from({ length: SEED_SHAPE.accounts }, (_, i) => ({ id: `acct-${i}`, exchange: 'paper' })),
      ),
    });
    const logger = createLogger({
      level: 'info',
      json: true,
      // Dropped, but for errors: a failing request must say why.
      stream: new Writable({
        decodeStrings: false,
        write: (chunk: string | Buffer, _encoding, done) => {
          if (String(chunk).includes('"level":"error"')) process.stderr.write(chunk);
          done();
        },
      }),
    });
    const web = await startWeb(config, logger, { management: { metrics: false } });
    const base = `http://127.0.0.1:${web.port}/api/v1/signals`;
    const get = async (query: Record<string, string>) => {
      const started = performance.now();
      const res = await fetch(`${base}?${new URLSearchParams(query).toString()}`, {
        headers: { authorization: `Bearer ${rawKey}` },
      });
      const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
      if (res.status !== 200)
        throw new Error(`GET ${JSON.stringify(query)} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };
    try {
      const queries: QueryFigures[] = [];
      const all: number[] = [];
      // Warm-up: JIT, connections, and Redis settling after the seed.
      for (let w = 0; w < 5; w++) for (const shape of shapes(newest)) await get(shape.query);
      for (const shape of shapes(newest)) {
        const times: number[] = [];
        let items = 0;
        for (let r = 0; r < options.repeats; r++) {
          let cursor: string | null = null;
          for (let p = 0; p < (shape.pages ?? 1); p++) {
            const { ms, body } = await get({ ...shape.query, ...(cursor ? { cursor } : {}) });
            if (p > 0 || !shape.pages) times.push(ms);
            items = body.items.length;
            cursor = body.nextCursor;
            if (!cursor) break;
          }
        }
        times.sort((a, b) => a - b);
        all.push(...times);
        queries.push({
          name: shape.name,
          query: new URLSearchParams(shape.query).toString() || '(none)',
          p50Ms: round(percentile(times, 50)),
          p99Ms: round(percentile(times, 99)),
          maxMs: round(times[times.length - 1] ?? 0),
          items,
        });
        options.progress(`${shape.name}: p99 ${queries[queries.length - 1].p99Ms} ms`);
      }
      all.sort((a, b) => a - b);
      const p99 = round(percentile(all, 99));
      return {
        records: options.records,
        seedSeconds: round(seedSeconds),
        redisMemoryMb: Math.round(Number(memory) / 1_048_576),
        queries,
        overall: { requests: all.length, p50Ms: round(percentile(all, 50)), p99Ms: p99 },
        target: {
          p99Ms: TARGET_P99_MS,
          met: p99 < TARGET_P99_MS && queries.every((q) => q.p99Ms < TARGET_P99_MS),
        },
      };
    } finally {
      await web.close(1000);
    }
  } finally {
    redis.disconnect();
    await redisServer.stop();
  }
}

export function formatHistoryReport(f: HistoryBenchFigures): string {
  const lines = [
    `History listing: GET /api/v1/signals over HTTP, ${f.records.toLocaleString('en')} records (seeded in ${f.seedSeconds} s, Redis ${f.redisMemoryMb} MB)`,
    ...f.queries.map(
      (q) =>
        `  ${q.name.padEnd(36)} p50 ${String(q.p50Ms).padStart(6)} ms  p99 ${String(q.p99Ms).padStart(6)} ms  max ${String(q.maxMs).padStart(6)} ms  items ${q.items}`,
    ),
    `  overall (${f.overall.requests} requests)`.padEnd(38) +
      ` p50 ${f.overall.p50Ms} ms  p99 ${f.overall.p99Ms} ms`,
    `  target p99 < ${f.target.p99Ms} ms for every shape: ${f.target.met ? 'met' : 'MISSED'}`,
  ];
  return lines.join('\n');
}
