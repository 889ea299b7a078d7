/**
 * `npm run bench:notify`: does a hanging notification receiver change order latency? The real web and
 * worker processes in one process on the offline paper exchange, alerts at a steady rate; in "hanging"
 * rounds a subscription to every event points at a local receiver that never answers, and events are
 * appended to the log faster than its attempts can time out, so the notifications queue is saturated
 * (NOTIFY_CONCURRENCY attempts stuck, a backlog waiting). Rounds alternate (quiet, hanging, quiet, …) on
 * fresh prefixes so that machine drift hits both. Per signal: the worker's receipt → finished time from
 * its record, and the client's POST time. Overrides: BENCH_NOTIFY_ROUNDS (2 of each), BENCH_NOTIFY_SIGNALS
 * (150 per round), BENCH_NOTIFY_RATE (alerts/s, 20), BENCH_NOTIFY_EVENT_RATE (events/s, 100). `--json`
 * prints the figures.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config';
import { EventLog, newEvent } from '../src/events/event-log';
import { secretsOf } from '../src/main/bootstrap';
import { startWeb } from '../src/main/web-process';
import { startWorker } from '../src/main/worker-process';
import { subscriptionParts } from '../src/notify/notify-parts';
import { createLogger } from '../src/observability/logger';
import { redisKeys } from '../src/redis/keys';
import { type Summary, summarize } from './engine-stats';
import { deletePrefix } from './redis-prefix';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_NOTIFY_ROUNDS ?? 2);
const SIGNALS = Number(process.env.BENCH_NOTIFY_SIGNALS ?? 150);
const RATE = Number(process.env.BENCH_NOTIFY_RATE ?? 20);
const EVENT_RATE = Number(process.env.BENCH_NOTIFY_EVENT_RATE ?? 100);
const TOKEN = 'bench-notify-token';
/** Several symbols: their signals run on different partitions, as in real use. */
const SYMBOLS = ['BINANCE:BTCUSDT', 'BINANCE:ETHUSDT', 'BINANCE:SOLUSDT', 'BINANCE:XRPUSDT'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RoundFigures {
  hanging: boolean;
  /** Worker: receipt → finished (ms), per filled signal. */
  orderMs: number[];
  /** Client: POST /webhook round trip (ms). */
  intakeMs: number[];
  filled: number;
  /** Notification attempts started against the hanging receiver during the round. */
  stuckAttempts: number;
}

async function round(hanging: boolean): Promise<RoundFigures> {
  const prefix = `bench-notify-${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    WEBHOOK_TOKENS: TOKEN,
    REQUIRE_TIMESTAMP: 'false',
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000000',
    PAPER_BALANCES: 'USDT:100000000',
    ALLOW_INSECURE_WEBHOOK_URLS: 'true',
  });
  const logger = createLogger({
    level: 'info',
    json: true,
    secrets: secretsOf(config),
    stream: new Writable({ write: (_c, _e, done) => done() }),
  });
  let stuckAttempts = 0;
  const receiver = createServer(() => {
    stuckAttempts++; // never answered
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const redis = new Redis(REDIS_URL);
  const keys = redisKeys(prefix);
  const worker = await startWorker(config, logger, { notify: { pollMs: 50 } });
  const web = await startWeb(config, logger);
  let pumping = hanging;
  let pump: Promise<void> = Promise.resolve();
  if (hanging) {
    const { service } = subscriptionParts(redis, keys, '');
    const port = (receiver.address() as AddressInfo).port;
    await service.create({ url: `http://127.0.0.1:${port}/hang`, events: ['*'] }, Date.now());
    const log = new EventLog({ redis, key: keys.events });
    pump = (async () => {
      while (pumping) {
        await log.append(newEvent('account.resumed', { account: 'bench' }));
        await sleep(1000 / EVENT_RATE);
      }
    })();
    await sleep(1000); // let the queue fill up before the first alert
  }
  const ids: string[] = [];
  const intakeMs: number[] = [];
  const url = `http://127.0.0.1:${web.port}/webhook`;
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < SIGNALS; i++) {
    const due = started + (i * 1000) / RATE;
    await sleep(Math.max(0, due - performance.now()));
    sends.push(
      (async () => {
        const t0 = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            token: TOKEN,
            id: `bench-${prefix}-${i}`,
            symbol: SYMBOLS[i % SYMBOLS.length],
            action: 'buy',
            quantity: '0.0001',
            price: '50000',
          }),
        });
        intakeMs.push(performance.now() - t0);
        ids.push(((await res.json()) as { id: string }).id);
      })(),
    );
  }
  await Promise.all(sends);
  const orderMs: number[] = [];
  let filled = 0;
  for (const id of ids) {
    for (let tries = 0; tries < 200; tries++) {
      const record = await redis.hgetall(keys.signal(id));
      if (record.finishedAt) {
        if (record.status === 'filled') filled++;
        else if (process.env.BENCH_DEBUG) process.stderr.write(`${record.status} ${record.error ?? ''}\n`);
        orderMs.push(Number(record.finishedAt) - Number(record.receivedAt));
        break;
      }
      await sleep(25);
    }
  }
  pumping = false;
  await pump;
  receiver.closeAllConnections(); // ends the stuck attempts, so the worker can close
  await web.close(1000);
  await worker.close();
  await new Promise((r) => receiver.close(r));
  redis.disconnect();
  await deletePrefix(REDIS_URL, prefix);
  return { hanging, orderMs, intakeMs, filled, stuckAttempts };
}

async function main(): Promise<void> {
  const rounds: RoundFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const hanging of [false, true]) {
      process.stderr.write(`round ${r + 1}/${ROUNDS} ${hanging ? 'hanging receiver' : 'quiet'}…\n`);
      rounds.push(await round(hanging));
    }
  }
  const sum = (hanging: boolean) => {
    const mine = rounds.filter((x) => x.hanging === hanging);
    return {
      order: summarize(mine.flatMap((x) => x.orderMs)),
      intake: summarize(mine.flatMap((x) => x.intakeMs)),
      filled: mine.reduce((n, x) => n + x.filled, 0),
      signals: mine.length * SIGNALS,
      stuckAttempts: mine.reduce((n, x) => n + x.stuckAttempts, 0),
    };
  };
  const figures = { quiet: sum(false), hanging: sum(true), options: { ROUNDS, SIGNALS, RATE, EVENT_RATE } };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  const line = (name: string, s: Summary) =>
    `${name.padEnd(28)} p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`;
  for (const phase of ['quiet', 'hanging'] as const) {
    const f = figures[phase];
    process.stdout.write(
      `${phase}: ${f.filled}/${f.signals} filled, ${f.stuckAttempts} notification attempts left hanging\n`,
    );
    process.stdout.write(
      `  ${line('receipt → finished (worker)', f.order)}\n  ${line('POST /webhook (client)', f.intake)}\n`,
    );
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
