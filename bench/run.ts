import { runIntakeBench } from './intake-bench';
import { loadOptionsFromEnv } from './options';
import { formatIntakeReport } from './report';

/**
 * `npm run bench [-- --json]`. Each benchmark is a module with a `run…Bench(opts)` returning its figures
 * and a formatter; add an engine benchmark by adding it here. The exit code is 0 even when a target is
 * missed (it is a benchmark, not a test); it is 1 only when a benchmark could not run.
 */
async function main(): Promise<void> {
  const json = process.argv.slice(2).includes('--json');
  const load = loadOptionsFromEnv();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

  const intake = await runIntakeBench({ load, redisUrl, progress });

  if (json) process.stdout.write(`${JSON.stringify({ intake }, null, 2)}\n`);
  else process.stdout.write(`${formatIntakeReport(intake)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
