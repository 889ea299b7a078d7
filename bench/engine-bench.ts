import { randomBytes } from 'node:crypto';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config';
import { secretsOf } from '../src/main/bootstrap';
import { type WebProcess, startWeb } from '../src/main/web-process';
import { type WorkerProcess, startWorker } from '../src/main/worker-process';
import { createLogger } from '../src/observability/logger';
import type { FakeExchangeServer } from '../test/support/fake-exchange';
import { makeCcxtAccount } from '../test/support/fake-exchange/make-ccxt-account';
import { randomWebhookSecret } from './alert-stream';
import { checkSignals, coreOf, finalCount, judgeEngine, waitForFinals } from './engine-checks';
import { clockMs, processCpuSeconds, sleep } from './engine-clock';
import { type ExchangeRequestTiming, type FakeThread, startFakeThread } from './engine-fake';
import { type EngineOptions } from './engine-options';
import { achievedRate, analyseLatency, redisCpuSeconds } from './engine-phases';
import { type Sender, startSender } from './engine-sender';
import {
  CPU_SAMPLE_MS,
  FINAL_WAIT_MS,
  IDLE_BASELINE_MS,
  LOOP_RESOLUTION_MS,
  alertBody,
  balancedAccount,
  balancedSequence,
  benchSymbols,
  symbolsByPartition,
} from './engine-setup';
import { interpolate } from './engine-stats';
import { installTrace } from './engine-trace';
import { deletePrefix } from './redis-prefix';
import { mainThreadCpuSeconds } from './thread-cpu';

/**
 * The engine benchmark, run in order: setup (engine-setup.ts: symbols, account, bodies; then fake exchange,
 * web, worker, sender), phases (latency, idle baseline, throughput; engine-phases.ts analyses them), checks
 * (engine-checks.ts) and report (engine-report.ts). Figures' types: engine-figures.ts.
 */

export interface EngineBenchOptions {
  engine: EngineOptions;
  redisUrl: string;
  /** Progress lines (to stderr in the CLI, so `--json` output stays clean). */
  progress?: (line: string) => void;
}

import { type EngineBenchFigures } from './engine-figures';

export { type EngineBenchFigures, type StepFigures } from './engine-figures';

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
  const symbols = benchSymbols();
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

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
