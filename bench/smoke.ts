import { runEngineBench } from './engine-bench';
import { DEFAULT_ENGINE } from './engine-options';

/**
 * `npm run bench:smoke`: the engine benchmark end to end at a tiny size (seconds), judged on its checks only
 * (every signal filled, exactly one order each, none stray) — so CI notices when a benchmark no longer runs
 * or no longer measures what it says. Timing targets are not judged: CI machines are too noisy for them.
 * Exit code 1 when a check fails or the benchmark cannot run.
 */
async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const figures = await runEngineBench({
    engine: {
      ...DEFAULT_ENGINE,
      rate: 20,
      durationSeconds: 1,
      warmupSeconds: 0.5,
      signals: 40,
      enqueueConnections: 4,
    },
    redisUrl,
    progress: (line) => process.stderr.write(`[bench:smoke] ${line}\n`),
  });
  const checks = figures.verdicts.filter((v) => !v.name.startsWith('overhead'));
  for (const v of checks)
    process.stdout.write(`${v.pass ? 'PASS' : 'FAIL'}  engine ${v.name}: ${v.actual}\n`);
  if (checks.length === 0 || checks.some((v) => !v.pass)) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`bench:smoke failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
