/**
 * What `/metrics` costs the intake (in `npm run bench`, alone as `npm run bench:metrics`). The real web process
 * (startWeb, as the intake benchmark starts it) with metrics on (alert counter, process metrics) and off, in the same run, on the same HMAC-signed
 * request stream as the intake benchmark, in alternating rounds (off, on, off, on…) so that drift on a shared
 * machine hits both. Target: throughput with metrics ≥ 95 % of without. BENCH_DURATION / BENCH_CONNECTIONS /
 * BENCH_WARMUP as for the intake; BENCH_ROUNDS (default 2) rounds of each.
 */
import { randomWebhookSecret } from './alert-stream';
import { startFullIntake } from './full-intake';
import { runLoad } from './load';
import { type LoadResult } from './load-result';
import { loadOptionsFromEnv } from './options';

const TARGET_RATIO = 0.95;

async function measure(options: { redisUrl: string; secret: string; metrics: boolean }): Promise<LoadResult> {
  const intake = await startFullIntake({
    redisUrl: options.redisUrl,
    secret: options.secret,
    web: { management: { metrics: options.metrics } },
  });
  try {
    return await runLoad(
      { url: intake.url, path: '/webhook', expectedStatus: 202 },
      options.secret,
      loadOptionsFromEnv(),
    );
  } finally {
    await intake.close();
  }
}

/** Throughput, p99 and CPU per request of the intake with metrics off or on, over every round. */
interface MetricsModeFigures {
  requestsPerSecond: number;
  /** The highest p99 of the rounds (each round's p99 is exact over its responses). */
  p99Ms: number;
  serverCpuUsPerRequest: number;
}

export interface MetricsBenchFigures {
  name: 'metrics-overhead';
  rounds: number;
  off: MetricsModeFigures;
  on: MetricsModeFigures;
  ratio: number;
  cpuRatio: number;
  errors: number;
  target: number;
}

export async function runMetricsBench(options: {
  redisUrl: string;
  rounds?: number;
  progress?: (line: string) => void;
}): Promise<MetricsBenchFigures> {
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 2);
  const secret = randomWebhookSecret();
  const runs: { off: LoadResult[]; on: LoadResult[] } = { off: [], on: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const metrics of [false, true]) {
      options.progress?.(`metrics: round ${round}/${rounds}, metrics ${metrics ? 'on' : 'off'}…`);
      runs[metrics ? 'on' : 'off'].push(await measure({ redisUrl: options.redisUrl, secret, metrics }));
    }
  }
  const sum = (list: LoadResult[], pick: (r: LoadResult) => number) => list.reduce((a, r) => a + pick(r), 0);
  const mode = (list: LoadResult[]): MetricsModeFigures => ({
    requestsPerSecond: sum(list, (r) => r.responses) / sum(list, (r) => r.durationSeconds),
    p99Ms: Math.max(...list.map((r) => r.latencyMs.p99)),
    serverCpuUsPerRequest:
      sum(list, (r) => r.serverCpuUsPerRequest * r.responses) / sum(list, (r) => r.responses),
  });
  const off = mode(runs.off);
  const on = mode(runs.on);
  return {
    name: 'metrics-overhead',
    rounds,
    off,
    on,
    ratio: on.requestsPerSecond / off.requestsPerSecond,
    cpuRatio: off.serverCpuUsPerRequest / on.serverCpuUsPerRequest,
    errors: sum([...runs.off, ...runs.on], (r) => r.errors + r.unexpectedStatus),
    target: TARGET_RATIO,
  };
}

export function formatMetricsReport(figures: MetricsBenchFigures): string {
  const row = (label: string, f: MetricsModeFigures) =>
    `${label.padEnd(12)} ${f.requestsPerSecond.toFixed(0).padStart(8)} req/s  p99 ${f.p99Ms.toFixed(2).padStart(7)} ms ${f.serverCpuUsPerRequest.toFixed(0).padStart(6)} µs CPU/request`;
  return [
    `Metrics overhead on POST /webhook (${figures.rounds} alternating rounds each)`,
    row('metrics off', figures.off),
    row('metrics on', figures.on),
    `throughput on/off ${(figures.ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} %): ${figures.ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`,
    `CPU/request off/on ${(figures.cpuRatio * 100).toFixed(1)} %; errors or non-202: ${figures.errors}`,
  ].join('\n');
}
