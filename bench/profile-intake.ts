import { applyAblations, parseAblations } from './ablation';

/**
 * Loads one target alone (same stream and load as `npm run bench`), for profiling and cost attribution.
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-intake.ts
 *   BENCH_ABLATE=helmet,history npx tsx bench/profile-intake.ts    (see ABLATIONS in ablation.ts)
 *   BENCH_INTAKE_ENV='{"LOG_LEVEL":"warn"}' npx tsx bench/profile-intake.ts
 *   BENCH_TARGET=bare npx tsx bench/profile-intake.ts
 * Prints the figures as one JSON line (compare `serverCpuUsPerRequest` across variants on a busy machine).
 */
async function main(): Promise<void> {
  const ablations = parseAblations(process.env.BENCH_ABLATE);
  applyAblations(ablations);
  // Loaded only now: the ablations swap modules that src/ must pick up.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { randomWebhookSecret } = require('./alert-stream') as typeof import('./alert-stream');
  const { startBareExpress } = require('./bare-express') as typeof import('./bare-express');
  const { startFullIntake } = require('./full-intake') as typeof import('./full-intake');
  const { runLoad } = require('./load') as typeof import('./load');
  const { loadOptionsFromEnv } = require('./options') as typeof import('./options');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const load = loadOptionsFromEnv();
  const env = JSON.parse(process.env.BENCH_INTAKE_ENV ?? '{}') as Record<string, string>;
  const target = process.env.BENCH_TARGET === 'bare' ? 'bare' : 'full';
  const secret = randomWebhookSecret();
  const server =
    target === 'bare'
      ? await startBareExpress('/webhook')
      : await startFullIntake({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', secret, env });
  try {
    const r = await runLoad({ url: server.url, path: '/webhook', expectedStatus: 202 }, secret, load);
    process.stdout.write(`${JSON.stringify({ target, ablations, env, ...r })}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`profile failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
