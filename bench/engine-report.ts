import { type EngineBenchFigures, type StepFigures } from './engine-bench';
import { type Summary } from './engine-stats';

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The human-readable report of the engine benchmark. */
export function formatEngineReport(f: EngineBenchFigures): string {
  const l = f.latency;
  const t = f.throughput;
  const c = f.checks;
  const table = (rows: Array<[string, Summary]>, header = 'ms') => {
    const w = Math.max(...rows.map(([label]) => label.length));
    const cell = (n: number) => fmt(n).padStart(8);
    return [
      `  ${header.padEnd(w)}  ${['p50', 'p90', 'p99', 'max', 'mean'].map((h) => h.padStart(8)).join('')}`,
      ...rows.map(
        ([label, s]) => `  ${label.padEnd(w)}  ${[s.p50, s.p90, s.p99, s.max, s.mean].map(cell).join('')}`,
      ),
    ];
  };
  const steps = (list: StepFigures[]) => list.map((s): [string, Summary] => [s.name, s.ms]);
  const partitions = f.setup.symbolsPerPartition.join('/');

  const out = [
    `Engine benchmark: real web process + one worker process (WORKER_CONCURRENCY=${f.setup.workerConcurrency}, ` +
      `${f.setup.symbolsPerPartition.length} partitions) in this process;`,
    `real ccxt binance (HMAC signing, rateLimit ${f.setup.ccxtRateLimitMs}) against FakeBinance spot in its own thread; ` +
      `alerts from a sender thread.`,
    `${f.setup.symbols.length} symbols, account ${f.setup.account} (symbols per partition ${partitions}); ` +
      `market buys, quantity in base, price given;`,
    `LOG_LEVEL=${f.options.ablations.includes('log-warn') ? 'warn' : 'info'} JSON into a null stream; ` +
      `source-mapped stack traces ${f.setup.sourceMaps ? 'on' : 'off (as in production)'}.`,
    ...(f.options.ablations.length > 0
      ? [`WHAT-IF RUN, ablations: ${f.options.ablations.join(', ')} (see engine-ablation.ts)`]
      : []),
    '',
    `Latency: ${l.rate} alerts/s round-robin, ${l.measuredSignals} measured after ${l.warmupSignals} warm-up ` +
      `(achieved ${fmt(l.achievedRate, 1)}/s)`,
    ...table([
      ['alert -> createOrder received (raw)', l.rawMs],
      ['exchange time before it', l.exchangeMs],
      ['tradehook overhead (raw - exchange)', l.overheadMs],
      ['202 answer (for comparison)', l.intakeAnswerMs],
    ]),
    `  market loads during the run: ${l.marketLoads}; signals joined: ${l.overheadMs.count}`,
    `  main thread event-loop delay p50 ${fmt(l.eventLoopDelayMs.p50)} / p99 ${fmt(l.eventLoopDelayMs.p99)} / ` +
      `max ${fmt(l.eventLoopDelayMs.max)} ms; GC ${l.gc.count} pauses, ${fmt(l.gc.totalMs, 0)} ms in all, ` +
      `longest ${fmt(l.gc.maxMs)} ms`,
    '',
    'Where the raw latency goes (consecutive steps; per signal they add up to the raw latency):',
    ...table(steps(l.steps), 'step (ms)'),
    '  after the order request (not in the latency):',
    ...table(steps(l.after), 'step (ms)'),
    '',
    `Throughput: ${t.signals} signals queued over HTTP in ${fmt(t.enqueueSeconds)} s with no worker running ` +
      `(per partition ${t.perPartition.join('/')}), then one worker started:`,
    `  all final after             ${fmt(t.drainSeconds)} s (from startWorker; first order after ${fmt(t.firstOrderAfterMs, 0)} ms)`,
    `  orders/s, steady (p10-p90)  ${fmt(t.ordersPerSecondSteady, 0)}`,
    `  orders/s, first-last        ${fmt(t.ordersPerSecondOverall, 0)}`,
    `  main thread busy (steady)   ${fmt(t.mainThreadBusySteady * 100, 0)}%`,
    `  main thread CPU/order       ${fmt(t.mainCpuUsPerOrderSteady, 0)} µs steady, ${fmt(t.mainCpuUsPerOrderDrain, 0)} µs whole drain` +
      ` (web + worker; idle baseline ${fmt(t.idleBaselineMsPerSecond, 1)} ms/s removed)`,
    `  process CPU/order           ${fmt(t.processCpuUsPerOrderDrain, 0)} µs (every thread but the fake exchange's: GC helpers too)`,
    `  Redis server CPU/order      ${fmt(t.redisCpuUsPerOrder, 0)} µs (INFO cpu; counts anything else using that Redis)`,
    `  fake exchange CPU/order     ${fmt(t.fakeCpuUsPerOrder, 0)} µs (its own thread, for scale)`,
    '',
    `Checks: ${c.signals} signals, ${c.non202} non-202; statuses ${Object.entries(c.statuses)
      .map(([s, n]) => `${s}:${n}`)
      .join(
        ' ',
      )}; ${c.createOrders} createOrder requests, ${c.notExactlyOneCreate} signals without exactly one,` +
      ` ${c.strayCreates} stray; ${c.unhandledRequests} unrouted requests`,
    `  Redis: ${f.redis.deletedKeys} keys under ${f.redis.prefix}:* deleted`,
    '',
    'Targets:',
    ...f.verdicts.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  ${v.name}: ${v.actual} (target ${v.target})`),
    '',
    f.verdicts.every((v) => v.pass)
      ? 'All targets met.'
      : 'Targets missed (benchmark only: exit code stays 0).',
  ];
  return out.join('\n');
}
