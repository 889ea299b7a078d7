/** `npm run bench:metrics [-- --json]`: the metrics-overhead benchmark of `npm run bench` on its own. */
import { formatMetricsReport, runMetricsBench } from './metrics-bench';

async function main(): Promise<void> {
  const figures = await runMetricsBench({
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  process.stdout.write(
    process.argv.includes('--json') ? `${JSON.stringify(figures)}\n` : `${formatMetricsReport(figures)}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
