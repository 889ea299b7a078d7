import { randomBytes } from 'node:crypto';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config';
import { secretsOf } from '../src/main/bootstrap';
import { type WebProcess, startWeb } from '../src/main/web-process';
import { type WorkerProcess, startWorker } from '../src/main/worker-process';
import { createLogger } from '../src/observability/logger';
import { SIGNAL_PARTITIONS, partitionOf, signalQueueName } from '../src/queue/partitions';
import type { FakeExchangeServer } from '../test/support/fake-exchange';
import { EXTRA_SPOT_LISTINGS } from '../test/support/fake-exchange/binance-markets';
import { makeCcxtAccount } from '../test/support/fake-exchange/make-ccxt-account';
import { randomWebhookSecret } from './alert-stream';
import { clockMs, processCpuSeconds, sleep } from './engine-clock';
import { type ExchangeRequestTiming, type FakeThread, startFakeThread } from './engine-fake';
import { type EngineOptions } from './engine-options';
import { type Sender, type SentAlert, startSender } from './engine-sender';
import { type Summary, interpolate, summarize } from './engine-stats';
import { type SignalTrace, type Trace, installTrace } from './engine-trace';
import { deletePrefix } from './redis-prefix';
import { type Verdict } from './targets';
import { mainThreadCpuSeconds } from './thread-cpu';

export interface EngineBenchOptions {
  engine: EngineOptions;
  redisUrl: string;
  /** Progress lines (to stderr in the CLI, so `--json` output stays clean). */
  progress?: (line: string) => void;
}

export const ENGINE_TARGETS = {
  /** tradehook's own share of alert → order request, p50 (inclusive bound). */
  maxOverheadP50Ms: 5,
  /** … and p99 (inclusive bound). */
  maxOverheadP99Ms: 25,
} as const;

/** One step of a signal's way from the alert to the order request, over the measured signals. */
export interface StepFigures {
  name: string;
  ms: Summary;
}

export interface EngineBenchFigures {
  name: 'engine';
  options: EngineOptions;
  setup: {
    account: string;
    symbols: string[];
    /** How many of the symbols each partition holds (index = partition). */
    symbolsPerPartition: number[];
    workerConcurrency: number;
    prefix: string;
    /** ccxt `rateLimit` of the account (ms per unit of request cost). */
    ccxtRateLimitMs: number;
    /** Whether source-mapped stack traces were on (see EngineOptions.sourceMaps). */
    sourceMaps: boolean;
  };
  /** Phases on the shared clock (engine-clock.ts, ms; equal to a --cpu-prof profile's µs / 1000). */
  windows: { latency: [number, number]; drain: [number, number] };
  latency: {
    rate: number;
    warmupSignals: number;
    measuredSignals: number;
    /** Alerts sent per second over the measured part, as achieved. */
    achievedRate: number;
    /** From just before the alert's HTTP request to the fake receiving the signal's createOrder. */
    rawMs: Summary;
    /** The fake's handling time of the signal's earlier calls (lookups), plus market loads in between. */
    exchangeMs: Summary;
    /** raw − exchange: tradehook's own share. */
    overheadMs: Summary;
    /** The 202 answer, for comparison. */
    intakeAnswerMs: Summary;
    /** Market loads the fake received during the latency run (after the worker's warm-up). */
    marketLoads: number;
    /** Main thread (web + worker): event-loop delay (monitorEventLoopDelay) and GC pauses, whole run. */
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    gc: { count: number; totalMs: number; maxMs: number };
    /** The raw latency split into consecutive steps (they add up to it per signal). */
    steps: StepFigures[];
    /** What follows the order request (not part of the latency). */
    after: StepFigures[];
  };
  throughput: {
    signals: number;
    /** Signals per partition (the run spreads them evenly over the partitions). */
    perPartition: number[];
    enqueueSeconds: number;
    /** From startWorker() to the last signal's final state. */
    drainSeconds: number;
    /** From startWorker() to the first order request the fake received. */
    firstOrderAfterMs: number;
    /** createOrder requests per second between the 10th and the 90th percentile of their arrivals. */
    ordersPerSecondSteady: number;
    /** All orders over first → last order request. */
    ordersPerSecondOverall: number;
    /** Main thread (web + worker) CPU per order in the steady part, idle baseline removed (10 ms ticks). */
    mainCpuUsPerOrderSteady: number;
    /** Same over the whole drain, worker start-up included. */
    mainCpuUsPerOrderDrain: number;
    /** Every thread of the process except the fake exchange's, over the whole drain (GC helpers included). */
    processCpuUsPerOrderDrain: number;
    /** Main thread CPU per second while idle (web + worker, no signals), subtracted above. */
    idleBaselineMsPerSecond: number;
    /** Share of the steady part the main thread's event loop was busy. */
    mainThreadBusySteady: number;
    /** Redis server CPU per order (INFO cpu) over the drain; the server may be shared. */
    redisCpuUsPerOrder: number;
    /** CPU per order of the fake exchange's thread, for scale. */
    fakeCpuUsPerOrder: number;
  };
  checks: {
    signals: number;
    non202: number;
    statuses: Record<string, number>;
    createOrders: number;
    /** Signals whose createOrder count is not exactly one. */
    notExactlyOneCreate: number;
    /** createOrder requests carrying no client id of this run's signals. */
    strayCreates: number;
    unhandledRequests: number;
  };
  verdicts: Verdict[];
  redis: { prefix: string; deletedKeys: number };
}

/** BTCUSDT, ETHUSDT and this many extra spot pairs. */
const EXTRA_SYMBOLS = 18;
/** Order size: about this many USDT, rounded up to the pair's step. */
const ORDER_USDT = 20;
const STEP_SIZES: Record<string, string> = { BTCUSDT: '0.00001', ETHUSDT: '0.0001' };
const FINAL_WAIT_MS = 120_000;
const IDLE_BASELINE_MS = 2_000;
const CPU_SAMPLE_MS = 100;
const LOOP_RESOLUTION_MS = 2;

/**
 * The engine end to end: real web process and one real worker process in this process, real ccxt `binance`
 * (HMAC signing) against FakeBinance spot in a thread of its own, alerts from a sender thread.
 * 1. Latency: alerts at a steady rate round-robin over 20 symbols; alert → createOrder received, minus the
 *    exchange's own time.
 * 2. Throughput: N signals queued while no worker runs, then one worker drains them.
 */
export async function runEngineBench(options: EngineBenchOptions): Promise<EngineBenchFigures> {
  const progress = options.progress ?? (() => undefined);
  const opts = options.engine;
  const prefix = `bench-engine-${randomBytes(6).toString('hex')}`;
  const secret = randomWebhookSecret();
  const symbols = ['BTCUSDT', 'ETHUSDT', ...Object.keys(EXTRA_SPOT_LISTINGS).slice(0, EXTRA_SYMBOLS)];
  const accountId = balancedAccount(symbols);

  const sourceMapsBefore = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(opts.sourceMaps);
  // Ablations first: the trace then wraps what they put in place.
  const trace = installTrace();
  let fake: FakeThread | undefined;
  let web: WebProcess | undefined;
  let worker: WorkerProcess | undefined;
  let sender: Sender | undefined;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  let deletedKeys = 0;
  let cleaned: Promise<void> | undefined;
  // Once, whoever asks first (the run's end, a failure, Ctrl-C): everything closed, every key deleted.
  const cleanUp = () =>
    (cleaned ??= (async () => {
      await sender?.close().catch(() => undefined);
      await worker?.close().catch(() => undefined);
      await web?.close(2000).catch(() => undefined);
      await fake?.close().catch(() => undefined);
      trace.uninstall();
      process.setSourceMapsEnabled(sourceMapsBefore);
      redis.disconnect();
      deletedKeys = await deletePrefix(options.redisUrl, prefix);
    })());
  // Interrupted (Ctrl-C): still stop everything and leave no key behind.
  const onSignal = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await redis.connect();
    progress(`engine: fake exchange (${symbols.length} symbols), web, worker (prefix ${prefix})…`);
    fake = await startFakeThread({ extraSymbols: symbols.slice(2), usdt: 1e12 });
    const bodies = symbols.map((symbol) => alertBody(symbol, fake!.prices[symbol]));
    // makeCcxtAccount reads only the fake's exchange id and URL; the fake itself lives in its own thread.
    const account = makeCcxtAccount({ exchangeId: fake.exchangeId, url: fake.url } as FakeExchangeServer, {
      id: accountId,
      ccxt: { rateLimit: opts.ccxtRateLimitMs },
    });
    const config = loadConfig({
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: prefix,
      WEBHOOK_SECRETS: secret,
      PORT: '0',
      LOG_LEVEL: opts.ablations.includes('log-warn') ? 'warn' : 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
      IP_ALLOWLIST: '',
      WORKER_CONCURRENCY: String(opts.workerConcurrency),
      ACCOUNTS: JSON.stringify([account]),
    });
    const logger = createLogger({
      level: config.logLevel,
      json: true,
      secrets: secretsOf(config),
      stream: new Writable({ decodeStrings: false, write: (_chunk, _encoding, done) => done() }),
    });
    web = await startWeb(config, logger);
    worker = await startWorker(config, logger);
    sender = await startSender({
      url: `http://127.0.0.1:${web.port}`,
      secret,
      tag: randomBytes(6).toString('hex'),
    });
    const finals = () => finalCount(redis, prefix);
    const allRequests: ExchangeRequestTiming[] = [];
    const collect = async () => {
      const c = await fake!.collect();
      allRequests.push(...c.requests);
      return c;
    };
    await collect(); // the worker's warm-up market loads

    // 1. Latency.
    const warmupSignals = Math.round(opts.warmupSeconds * opts.rate);
    const measuredSignals = Math.round(opts.durationSeconds * opts.rate);
    const sequence = Array.from({ length: warmupSignals + measuredSignals }, (_, k) => k % symbols.length);
    progress(
      `engine latency: ${opts.rate} alerts/s over ${symbols.length} symbols, ` +
        `${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s…`,
    );
    const before1 = await finals();
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const gc = { count: 0, totalMs: 0, maxMs: 0 };
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gc.count += 1;
        gc.totalMs += entry.duration;
        gc.maxMs = Math.max(gc.maxMs, entry.duration);
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    loop.enable();
    const paced = await sender.paced(opts.rate, sequence, bodies);
    const queued1 = paced.sent.filter((s) => s.status === 202).length;
    await waitForFinals(finals, before1 + queued1, FINAL_WAIT_MS);
    loop.disable();
    gcObserver.disconnect();
    const latencyEnd = clockMs();
    const latencyRequests = (await collect()).requests;
    const latency = analyseLatency(paced.sent, warmupSignals, latencyRequests, trace);

    // Idle baseline: web + worker running, nothing to do.
    const idle0 = mainThreadCpuSeconds();
    const idleT0 = clockMs();
    await sleep(IDLE_BASELINE_MS);
    const idleBaselineMsPerSecond = ((mainThreadCpuSeconds() - idle0) * 1e6) / (clockMs() - idleT0);

    // 2. Throughput: queue while no worker runs, then time one worker draining the queues.
    progress(`engine throughput: queueing ${opts.signals} signals with the worker stopped…`);
    await worker.close();
    worker = undefined;
    const partitionSymbols = symbolsByPartition(accountId, symbols);
    const burstSequence = balancedSequence(opts.signals, partitionSymbols);
    const before2 = await finals();
    const burst = await sender.burst(opts.enqueueConnections, burstSequence, bodies);
    const queued2 = burst.sent.filter((s) => s.status === 202).length;
    progress(
      `engine throughput: ${queued2} queued in ${fmtS(burst.endedAt - burst.startedAt)}; one worker drains…`,
    );

    const fake0 = (await collect()).threadCpuSeconds;
    const redis0 = await redisCpuSeconds(redis);
    const proc0 = processCpuSeconds();
    const samples: Array<{
      at: number;
      cpu: number;
      elu: ReturnType<typeof performance.eventLoopUtilization>;
    }> = [];
    const sample = () =>
      samples.push({ at: clockMs(), cpu: mainThreadCpuSeconds(), elu: performance.eventLoopUtilization() });
    sample();
    const sampler = setInterval(sample, CPU_SAMPLE_MS);
    const drainStart = samples[0].at;
    worker = await startWorker(config, logger);
    await waitForFinals(finals, before2 + queued2, FINAL_WAIT_MS);
    sample();
    clearInterval(sampler);
    const drainEnd = samples[samples.length - 1].at;
    const proc1 = processCpuSeconds();
    const redis1 = await redisCpuSeconds(redis);
    const drainCollect = await collect();
    const fakeCpu = drainCollect.threadCpuSeconds - fake0;

    const burstIds = new Set(burst.sent.filter((s) => s.status === 202).map((s) => coreOf(s.signalId)));
    const orderArrivals = drainCollect.requests
      .filter((r) => r.operation === 'createOrder' && burstIds.has(coreOf(r.clientOrderId)))
      .map((r) => r.arrivedAt)
      .sort((a, b) => a - b);
    const n = orderArrivals.length;
    const i10 = Math.floor(n * 0.1);
    const i90 = Math.max(i10 + 1, Math.floor(n * 0.9) - 1);
    const t10 = orderArrivals[i10];
    const t90 = orderArrivals[Math.min(i90, n - 1)];
    const steadyOrders = Math.min(i90, n - 1) - i10;
    const cpuSamples = samples.map((s) => ({ at: s.at, value: s.cpu }));
    const baselineSeconds = (ms: number) => (idleBaselineMsPerSecond * ms) / 1e6;
    const steadyCpu =
      interpolate(cpuSamples, t90) - interpolate(cpuSamples, t10) - baselineSeconds(t90 - t10);
    const drainCpu =
      samples[samples.length - 1].cpu - samples[0].cpu - baselineSeconds(drainEnd - drainStart);
    const eluAt = (at: number) =>
      samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best));
    const eluSteady = performance.eventLoopUtilization(eluAt(t90).elu, eluAt(t10).elu).utilization;
    const throughput: EngineBenchFigures['throughput'] = {
      signals: queued2,
      perPartition: partitionSymbols.map(
        (_, p) => burstSequence.filter((b) => partitionSymbols[p].includes(b)).length,
      ),
      enqueueSeconds: (burst.endedAt - burst.startedAt) / 1000,
      drainSeconds: (drainEnd - drainStart) / 1000,
      firstOrderAfterMs: n > 0 ? orderArrivals[0] - drainStart : NaN,
      ordersPerSecondSteady: steadyOrders > 0 ? (steadyOrders * 1000) / (t90 - t10) : NaN,
      ordersPerSecondOverall: n > 1 ? ((n - 1) * 1000) / (orderArrivals[n - 1] - orderArrivals[0]) : NaN,
      mainCpuUsPerOrderSteady: steadyOrders > 0 ? (steadyCpu * 1e6) / steadyOrders : NaN,
      mainCpuUsPerOrderDrain: n > 0 ? (drainCpu * 1e6) / n : NaN,
      processCpuUsPerOrderDrain: n > 0 ? ((proc1 - proc0 - fakeCpu) * 1e6) / n : NaN,
      idleBaselineMsPerSecond,
      mainThreadBusySteady: eluSteady,
      redisCpuUsPerOrder: n > 0 ? ((redis1 - redis0) * 1e6) / n : NaN,
      fakeCpuUsPerOrder: n > 0 ? (fakeCpu * 1e6) / n : NaN,
    };

    // Checks over every signal of both runs (warm-up included).
    const sent = [...paced.sent, ...burst.sent];
    const checks = await checkSignals(redis, prefix, sent, allRequests, drainCollect.unhandled.length);
    const figures: Omit<EngineBenchFigures, 'verdicts' | 'redis'> = {
      name: 'engine',
      options: opts,
      setup: {
        account: accountId,
        symbols,
        symbolsPerPartition: partitionSymbols.map((s) => s.length),
        workerConcurrency: opts.workerConcurrency,
        prefix,
        ccxtRateLimitMs: opts.ccxtRateLimitMs,
        sourceMaps: opts.sourceMaps,
      },
      windows: { latency: [paced.startedAt, latencyEnd], drain: [drainStart, drainEnd] },
      latency: {
        rate: opts.rate,
        warmupSignals,
        measuredSignals,
        achievedRate: achievedRate(paced.sent.slice(warmupSignals)),
        ...latency,
        // The histogram holds whole timer intervals: the delay is what exceeds the resolution.
        eventLoopDelayMs: {
          p50: Math.max(0, loop.percentile(50) / 1e6 - LOOP_RESOLUTION_MS),
          p99: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
          max: Math.max(0, loop.max / 1e6 - LOOP_RESOLUTION_MS),
        },
        gc,
      },
      throughput,
      checks,
    };
    progress('engine: closing…');
    await cleanUp();
    return { ...figures, verdicts: judgeEngine(figures), redis: { prefix, deletedKeys } };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function judgeEngine(f: Pick<EngineBenchFigures, 'latency' | 'checks'>): Verdict[] {
  const { overheadMs } = f.latency;
  const c = f.checks;
  const filled = c.statuses.filled ?? 0;
  return [
    {
      name: 'overhead p50',
      target: `<= ${ENGINE_TARGETS.maxOverheadP50Ms} ms`,
      actual: `${overheadMs.p50.toFixed(2)} ms`,
      pass: overheadMs.p50 <= ENGINE_TARGETS.maxOverheadP50Ms,
    },
    {
      name: 'overhead p99',
      target: `<= ${ENGINE_TARGETS.maxOverheadP99Ms} ms`,
      actual: `${overheadMs.p99.toFixed(2)} ms`,
      pass: overheadMs.p99 <= ENGINE_TARGETS.maxOverheadP99Ms,
    },
    {
      name: 'every signal filled',
      target: 'status filled, all signals (202 each)',
      actual: `${filled}/${c.signals} filled, ${c.non202} non-202`,
      pass: filled === c.signals && c.non202 === 0,
    },
    {
      name: 'one order per signal',
      target: 'exactly one createOrder per signal, none stray',
      actual: `${c.createOrders} createOrder for ${c.signals} signals, ${c.notExactlyOneCreate} not exactly one, ${c.strayCreates} stray`,
      pass: c.notExactlyOneCreate === 0 && c.strayCreates === 0 && c.createOrders === c.signals,
    },
  ];
}

/** A signal's part of its client order ids: the 24 hex digits of `sig_<hex>`, or of `th<hex><leg>`. */
function coreOf(id: string | undefined): string {
  if (!id) return '';
  if (id.startsWith('sig_')) return id.slice(4, 28);
  return /^th[0-9a-f]{24}/.test(id) ? id.slice(2, 26) : '';
}

/** A market buy, quantity in base (about ORDER_USDT), price given: no balance or price fetch needed. */
function alertBody(symbol: string, price: number): string {
  const step = STEP_SIZES[symbol] ?? EXTRA_SPOT_LISTINGS[symbol].stepSize;
  const decimals = Math.max(0, -Math.floor(Math.log10(Number(step)) + 1e-9));
  const quantity = Math.ceil(ORDER_USDT / price / Number(step)) * Number(step);
  return JSON.stringify({
    symbol,
    action: 'buy',
    quantity: quantity.toFixed(decimals),
    price: String(price),
  });
}

/**
 * The first account id (`bench0`, `bench1`…) that spreads the symbols over every partition as evenly as their
 * number allows, so that throughput measures the engine's 8-way concurrency rather than a hashing accident.
 */
function balancedAccount(symbols: string[]): string {
  const most = Math.ceil(symbols.length / SIGNAL_PARTITIONS);
  for (let i = 0; i < 100_000; i++) {
    const id = `bench${i}`;
    const counts = symbolsByPartition(id, symbols).map((s) => s.length);
    if (counts.every((c) => c > 0 && c <= most)) return id;
  }
  throw new Error('no account id spreads the symbols over every partition');
}

/** Per partition, the indices (into `symbols`) of the symbols it holds for `account`. */
function symbolsByPartition(account: string, symbols: string[]): number[][] {
  const by: number[][] = Array.from({ length: SIGNAL_PARTITIONS }, () => []);
  symbols.forEach((symbol, i) => by[partitionOf(account, symbol)].push(i));
  return by;
}

/** `count` symbol indices: round-robin over the partitions, and over each partition's symbols. */
function balancedSequence(count: number, byPartition: number[][]): number[] {
  const used = byPartition.filter((s) => s.length > 0);
  const turn = used.map(() => 0);
  return Array.from({ length: count }, (_, k) => {
    const p = k % used.length;
    return used[p][turn[p]++ % used[p].length];
  });
}

/** Signals in a final state: BullMQ's completed plus failed jobs, over every partition. */
async function finalCount(redis: Redis, prefix: string): Promise<number> {
  const pipeline = redis.pipeline();
  for (let p = 0; p < SIGNAL_PARTITIONS; p++) {
    pipeline.zcard(`${prefix}:${signalQueueName(p)}:completed`);
    pipeline.zcard(`${prefix}:${signalQueueName(p)}:failed`);
  }
  const results = (await pipeline.exec()) ?? [];
  return results.reduce((sum, [, n]) => sum + Number(n ?? 0), 0);
}

async function waitForFinals(
  count: () => Promise<number>,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = clockMs() + timeoutMs;
  while ((await count()) < expected) {
    if (clockMs() > deadline) throw new Error(`signals still not final after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

function achievedRate(sent: SentAlert[]): number {
  if (sent.length < 2) return NaN;
  return ((sent.length - 1) * 1000) / (sent[sent.length - 1].sentAt - sent[0].sentAt);
}

/** One measured signal with everything known about it. */
interface Joined {
  sent: SentAlert;
  trace: SignalTrace;
  lookup?: ExchangeRequestTiming;
  create?: ExchangeRequestTiming;
  exchangeMs: number;
}

type Point = (j: Joined) => number | undefined;

/** Consecutive steps: per signal they add up to alert → order request. */
const STEPS: Array<[string, Point, Point]> = [
  ['HTTP in, to intake (express, rate limit)', (j) => j.sent.sentAt, (j) => j.trace.intakeStart],
  ['intake: auth, nonce, parse, BullMQ add', (j) => j.trace.intakeStart, (j) => j.trace.enqueued],
  ['BullMQ: added -> worker handler', (j) => j.trace.enqueued, (j) => j.trace.picked],
  ['worker: start (one Redis round trip)', (j) => j.trace.picked, (j) => j.trace.loadEnd],
  ['worker: plan (markets, sizing, log)', (j) => j.trace.loadEnd, (j) => j.trace.planSaveStart],
  ['worker: saveProgress (plan)', (j) => j.trace.planSaveStart, (j) => j.trace.planSaveEnd],
  ['worker: -> findOrder', (j) => j.trace.planSaveEnd, (j) => j.trace.findStart],
  ['findOrder: session + ccxt fetchOrder prep', (j) => j.trace.findStart, (j) => j.trace.findCall],
  ['findOrder: ccxt rate limiter wait', (j) => j.trace.findCall, (j) => j.trace.findThrottled],
  ['findOrder: ccxt sign', (j) => j.trace.findThrottled, (j) => j.trace.findFetch],
  ['findOrder: fetch -> exchange receives', (j) => j.trace.findFetch, (j) => j.lookup?.arrivedAt],
  ['findOrder: EXCHANGE handling', (j) => j.lookup?.arrivedAt, (j) => j.lookup?.answeredAt],
  ['findOrder: answer -> result (ccxt parse)', (j) => j.lookup?.answeredAt, (j) => j.trace.findEnd],
  ['worker: -> createOrder', (j) => j.trace.findEnd, (j) => j.trace.createStart],
  ['createOrder: session + ccxt createOrder prep', (j) => j.trace.createStart, (j) => j.trace.createCall],
  ['createOrder: ccxt rate limiter wait', (j) => j.trace.createCall, (j) => j.trace.createThrottled],
  ['createOrder: ccxt sign', (j) => j.trace.createThrottled, (j) => j.trace.createFetch],
  ['createOrder: fetch -> exchange receives', (j) => j.trace.createFetch, (j) => j.create?.arrivedAt],
];

const AFTER: Array<[string, Point, Point]> = [
  ['createOrder: EXCHANGE handling', (j) => j.create?.arrivedAt, (j) => j.create?.answeredAt],
  ['answer -> record filled', (j) => j.create?.answeredAt, (j) => j.trace.finishEnd],
];

const span = (j: Joined, from: Point, to: Point) => {
  const a = from(j);
  const b = to(j);
  return a === undefined || b === undefined ? NaN : b - a;
};

const MARKET_LOADS = new Set(['exchangeInfo', 'usdmExchangeInfo', 'coinmExchangeInfo']);

function analyseLatency(
  sent: SentAlert[],
  warmupSignals: number,
  requests: ExchangeRequestTiming[],
  trace: Trace,
): Pick<
  EngineBenchFigures['latency'],
  'rawMs' | 'exchangeMs' | 'overheadMs' | 'intakeAnswerMs' | 'marketLoads' | 'steps' | 'after'
> {
  const creates = new Map<string, ExchangeRequestTiming>();
  const lookups = new Map<string, ExchangeRequestTiming[]>();
  const loads: ExchangeRequestTiming[] = [];
  for (const r of requests) {
    const core = coreOf(r.clientOrderId);
    if (r.operation === 'createOrder' && core && !creates.has(core)) creates.set(core, r);
    else if (core) lookups.set(core, [...(lookups.get(core) ?? []), r]);
    else if (MARKET_LOADS.has(r.operation)) loads.push(r);
  }
  const joined: Joined[] = [];
  for (const s of sent.slice(warmupSignals)) {
    const core = coreOf(s.signalId);
    const create = creates.get(core);
    if (s.status !== 202 || !create) continue;
    const before = (lookups.get(core) ?? []).filter((r) => r.arrivedAt < create.arrivedAt);
    let exchangeMs = before.reduce((sum, r) => sum + (r.answeredAt - r.arrivedAt), 0);
    for (const load of loads) {
      const overlap = Math.min(load.answeredAt, create.arrivedAt) - Math.max(load.arrivedAt, s.sentAt);
      if (overlap > 0) exchangeMs += overlap;
    }
    joined.push({
      sent: s,
      trace: trace.signals.get(s.signalId) ?? {},
      lookup: before[0],
      create,
      exchangeMs,
    });
  }
  const raw = joined.map((j) => j.create!.arrivedAt - j.sent.sentAt);
  return {
    rawMs: summarize(raw),
    exchangeMs: summarize(joined.map((j) => j.exchangeMs)),
    overheadMs: summarize(joined.map((j, i) => raw[i] - j.exchangeMs)),
    intakeAnswerMs: summarize(sent.slice(warmupSignals).map((s) => s.answeredAt - s.sentAt)),
    marketLoads: loads.length,
    steps: STEPS.map(([name, from, to]) => ({ name, ms: summarize(joined.map((j) => span(j, from, to))) })),
    after: AFTER.map(([name, from, to]) => ({ name, ms: summarize(joined.map((j) => span(j, from, to))) })),
  };
}

async function checkSignals(
  redis: Redis,
  prefix: string,
  sent: SentAlert[],
  requests: ExchangeRequestTiming[],
  unhandledRequests: number,
): Promise<EngineBenchFigures['checks']> {
  const queued = sent.filter((s) => s.status === 202 && s.signalId);
  const statuses: Record<string, number> = {};
  for (let i = 0; i < queued.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const s of queued.slice(i, i + 1000)) pipeline.hget(`${prefix}:signal:${s.signalId}`, 'status');
    for (const [, status] of (await pipeline.exec()) ?? []) {
      const key = typeof status === 'string' ? status : 'missing';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }
  const perSignal = new Map<string, number>(queued.map((s) => [coreOf(s.signalId), 0]));
  let createOrders = 0;
  let strayCreates = 0;
  for (const r of requests) {
    if (r.operation !== 'createOrder') continue;
    createOrders += 1;
    const core = coreOf(r.clientOrderId);
    if (perSignal.has(core)) perSignal.set(core, (perSignal.get(core) ?? 0) + 1);
    else strayCreates += 1;
  }
  return {
    signals: sent.length,
    non202: sent.length - queued.length,
    statuses,
    createOrders,
    notExactlyOneCreate: [...perSignal.values()].filter((c) => c !== 1).length,
    strayCreates,
    unhandledRequests,
  };
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
