import { type BurstFigures, runBurstBench } from './burst-bench';
import { formatBurstReport } from './burst-report';
import { type EngineBenchFigures, runEngineBench } from './engine-bench';
import { engineOptionsFromEnv } from './engine-options';
import { formatEngineReport } from './engine-report';
import {
  type HistoryBenchFigures,
  formatHistoryReport,
  historyOptionsFromEnv,
  runHistoryBench,
} from './history-bench';
import { type IntakeBenchFigures, runIntakeBench } from './intake-bench';
import { type MetricsBenchFigures, formatMetricsReport, runMetricsBench } from './metrics-bench';
import { loadOptionsFromEnv } from './options';
import { formatIntakeReport } from './report';

const BENCHMARKS = ['intake', 'metrics', 'engine', 'history', 'burst'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

/** `BENCH_ONLY=intake|metrics|engine|history|burst` runs one benchmark; unset runs every one, in order. */
function selected(env: NodeJS.ProcessEnv = process.env): BenchmarkName[] {
  const only = env.BENCH_ONLY?.trim();
  if (!only) return [...BENCHMARKS];
  if (!(BENCHMARKS as readonly string[]).includes(only)) {
    throw new Error(`BENCH_ONLY: expected one of ${BENCHMARKS.join(', ')}, got "${only}"`);
  }
  return [only as BenchmarkName];
}

/**
 * `npm run bench [-- --json]`. Each benchmark is a module with a `run…Bench(opts)` returning its figures
 * and a formatter. The exit code is 0 even when a target is missed (it is a benchmark, not a test); it is 1
 * only when a benchmark could not run.
 */
async function main(): Promise<void> {
  const json = process.argv.slice(2).includes('--json');
  const which = selected();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const results: {
    intake?: IntakeBenchFigures;
    metrics?: MetricsBenchFigures;
    engine?: EngineBenchFigures;
    history?: HistoryBenchFigures;
    burst?: BurstFigures;
  } = {};
  const reports: string[] = [];

  if (which.includes('intake')) {
    results.intake = await runIntakeBench({ load: loadOptionsFromEnv(), redisUrl, progress });
    reports.push(formatIntakeReport(results.intake));
  }
  if (which.includes('metrics')) {
    results.metrics = await runMetricsBench({ redisUrl, progress });
    reports.push(formatMetricsReport(results.metrics));
  }
  if (which.includes('engine')) {
    results.engine = await runEngineBench({ engine: engineOptionsFromEnv(), redisUrl, progress });
    reports.push(formatEngineReport(results.engine));
  }
  if (which.includes('history')) {
    results.history = await runHistoryBench({ ...historyOptionsFromEnv(), progress });
    reports.push(formatHistoryReport(results.history));
  }

  if (which.includes('burst')) {
    results.burst = await runBurstBench({ redisUrl, progress });
    reports.push(formatBurstReport(results.burst));
  }

  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(`${reports.join('\n\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
