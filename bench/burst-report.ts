import { BURST_TARGETS, type BurstFigures, WARM_UP_ALERTS } from './burst-bench';

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The burst benchmark's table. */
export function formatBurstReport(f: BurstFigures): string {
  const row = (label: string, r: BurstFigures['tradehook'] | BurstFigures['reference']) =>
    `  ${label.padEnd(24)} ${[r.latencyMs.p50, r.latencyMs.p99, r.latencyMs.max].map((n) => fmt(n).padStart(8)).join('')}` +
    `${fmt(r.cpuUsPerAlert).padStart(10)}${[r.threadCpuUsPerAlert.main, r.threadCpuUsPerAlert.helpers, r.redisCpuUsPerAlert].map((n) => fmt(n).padStart(9)).join('')}` +
    `  ${JSON.stringify(r.answers)} (sent over ${fmt(r.spreadMs)} ms)`;
  return [
    `Burst: ${f.options.alerts} token alerts sent evenly over ${f.options.spreadMs} ms on ${f.options.connections} keep-alive connections;`,
    `web and one worker as in production (node on dist/, NODE_ENV=production, paper exchange, Procfile flags web [${f.options.nodeFlags.web.join(' ')}] worker [${f.options.nodeFlags.worker.join(' ')}]);`,
    `the reference intakes alone, with the web's heap flags [${f.options.nodeFlags.reference.join(' ')}]. Each intake is warmed with ${WARM_UP_ALERTS} alerts, then left quiet ${BURST_TARGETS.backNearIdleAfterMs / 1000} s before its burst (web RSS idle: at the end of that quiet).`,
    '',
    `  ${'intake'.padEnd(24)} ${['p50', 'p99', 'max'].map((h) => `${h} ms`.padStart(8)).join('')}${'CPU µs/alert'.padStart(14)}${['main', 'helpers', 'Redis'].map((h) => h.padStart(9)).join('')}`,
    row('reference', f.reference),
    row('reference + steps', f.referenceWithSteps),
    row('tradehook', f.tradehook),
    "  (CPU split: main = the event loop's thread, helpers = V8's threads (optimising compiler, GC), Redis = the",
    "  server's CPU over the same time, in tradehook's burst with its worker's commands)",
    `  last order after ${fmt(f.tradehook.lastOrderAfterMs)} ms from the first send; ${f.tradehook.finalSignals} final; ${f.tradehook.lost} lost; ${f.tradehook.duplicates} duplicated`,
    `  RSS MB: web idle ${fmt(f.memory.webIdleMb)}, peak ${fmt(f.memory.webPeakMb)}, 2 s / 10 s after the last answer ${fmt(f.memory.webAfterBurstMb.s2)} / ${fmt(f.memory.webAfterBurstMb.s10)}, 5 s after the last order ${fmt(f.memory.webAfterMb)}; worker idle ${fmt(f.memory.workerIdleMb)}, peak ${fmt(f.memory.workerPeakMb)}`,
    `  boot ms: web to /health ${fmt(f.bootMs.web)}, worker to "worker started" ${fmt(f.bootMs.worker)}, reference ${fmt(f.reference.bootMs)}`,
    `  Redis connections: web ${f.redisConnections.web}, worker ${f.redisConnections.worker}, reference ${f.redisConnections.reference}`,
    '',
    'Targets:',
    ...f.verdicts.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  ${v.name}: ${v.actual} (target ${v.target})`),
    '',
    ...boundLines(f),
    '',
    `JSON ${JSON.stringify({ burst: { reference: f.reference, referenceWithSteps: f.referenceWithSteps, tradehook: f.tradehook, memory: f.memory, bootMs: f.bootMs, redisConnections: f.redisConnections } })}`,
  ].join('\n');
}

/**
 * What bounds the two ratios to the reference: the reference itself taking the contract's steps it skips
 * (rate limit, validation, record, log line, metric). Figures, not targets.
 */
function boundLines(f: BurstFigures): string[] {
  const r = f.reference;
  const s = f.referenceWithSteps;
  const t = f.tradehook;
  const x = (a: number, b: number) => `${fmt(a / b, 2)}x`;
  return [
    "Bound (the reference taking the contract's steps it skips: rate limit, validation, record, log line, metric):",
    `  the steps cost ${fmt(s.cpuUsPerAlert - r.cpuUsPerAlert)} µs/alert: the reference with them ${x(s.cpuUsPerAlert, r.cpuUsPerAlert)} CPU, ${x(s.latencyMs.max, r.latencyMs.max)} slowest answer of the minimal one`,
    `  tradehook vs the reference with the same steps: ${x(t.cpuUsPerAlert, s.cpuUsPerAlert)} CPU, ${x(t.latencyMs.max, s.latencyMs.max)} slowest answer`,
  ];
}
