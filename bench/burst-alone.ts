import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  BURST_TARGETS,
  DEFAULT_BURST,
  WARM_UP_ALERTS,
  alertBodies,
  buildDist,
  burstAgainst,
  burstEnv,
  envPairs,
  freePort,
} from './burst-bench';
import { type BenchProcess, startProcess } from './burst-processes';
import { sleep } from './engine-clock';
import { deletePrefix } from './redis-prefix';

/**
 * One intake alone, without a worker, and how its burst depends on what came before: warmed with `WARM`
 * alerts (default 200, as in the burst benchmark), left quiet `QUIET` ms (default 10000), then the burst
 * (5,000 alerts over 500 connections within 1 s). `VARIANTS` (space-separated) are run in turn, `ROUNDS`
 * times (default 2): `minimal` and `contract` are the burst benchmark's two reference intakes, `web` is
 * tradehook's web process; `web:NAME=value,NAME=value` adds environment, e.g. `web:WEB_IDLE_GC=false`.
 *
 *     WARM=6000 QUIET=15000 VARIANTS="web web:WEB_IDLE_GC=false" npm run bench:burst-alone
 *
 * Prints, per run, the CPU per alert of the event loop's thread and of V8's helper threads (the optimising
 * compiler, GC), Redis's, and the answers' p50 and slowest. Add `FLAGS="--trace-opt"` to see what V8
 * compiles (the process's output goes to `OUT`-burst.log and `OUT`-before.log when `OUT` is set).
 */
const ROOT = join(__dirname, '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Variant {
  label: string;
  intake: 'minimal' | 'contract' | 'web';
  env: Record<string, string>;
}

function parseVariant(text: string): Variant {
  const [intake, pairs = ''] = text.split(':');
  if (intake !== 'minimal' && intake !== 'contract' && intake !== 'web') {
    throw new Error(`VARIANTS: expected minimal, contract or web[:NAME=value,…], got "${text}"`);
  }
  const env = envPairs(pairs.split(',').filter(Boolean));
  return { label: text, intake, env };
}

async function runOnce(variant: Variant, options: { warm: number; quietMs: number; flags: string[] }) {
  const prefix = `bench-alone-${randomBytes(6).toString('hex')}`;
  const token = `alone-${randomBytes(8).toString('hex')}`;
  const port = await freePort();
  const script =
    variant.intake === 'web' ? join(ROOT, 'dist/main/web.js') : join(ROOT, 'bench/reference-intake.mjs');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let proc: BenchProcess | undefined;
  try {
    proc = await startProcess({
      args: [...DEFAULT_BURST.nodeFlags.web, ...options.flags, script],
      env: {
        ...burstEnv({ redisUrl: REDIS_URL, prefix, token }),
        REFERENCE_STEPS: variant.intake,
        PORT: String(port),
        ...variant.env,
      },
      ready: { health: port },
      keepOutput: process.env.OUT !== undefined,
    });
    if (options.warm > 0) {
      const warm = alertBodies(options.warm, 'warm', token);
      await burstAgainst(proc, warm, { ...DEFAULT_BURST, connections: 50 }, redis);
    }
    await sleep(options.quietMs);
    const before = proc.output().length;
    const bodies = alertBodies(DEFAULT_BURST.alerts, 'burst', token);
    const { figures } = await burstAgainst(proc, bodies, DEFAULT_BURST, redis);
    if (process.env.OUT) {
      writeFileSync(`${process.env.OUT}-before.log`, proc.output().slice(0, before));
      writeFileSync(`${process.env.OUT}-burst.log`, proc.output().slice(before));
    }
    const us = (n: number) => n.toFixed(0);
    const { main, helpers } = figures.threadCpuUsPerAlert;
    return [
      `main ${us(main)}`,
      `helpers ${us(helpers)}`,
      `total ${us(main + helpers)}`,
      `Redis ${us(figures.redisCpuUsPerAlert)} µs/alert;`,
      `p50 ${us(figures.latencyMs.p50)}`,
      `slowest ${us(figures.latencyMs.max)} ms;`,
      `${figures.answers['202'] ?? 0}/${bodies.length} accepted`,
    ].join(' ');
  } finally {
    await proc?.stop();
    redis.disconnect();
    await deletePrefix(REDIS_URL, prefix);
  }
}

async function main(): Promise<void> {
  const variants = (process.env.VARIANTS ?? 'minimal contract web')
    .split(/\s+/)
    .filter(Boolean)
    .map(parseVariant);
  const options = {
    warm: Number(process.env.WARM ?? WARM_UP_ALERTS),
    quietMs: Number(process.env.QUIET ?? BURST_TARGETS.backNearIdleAfterMs),
    flags: (process.env.FLAGS ?? '').split(/\s+/).filter(Boolean),
  };
  buildDist();
  process.stdout.write(
    `each intake alone: ${options.warm} alerts, ${options.quietMs} ms quiet, then ${DEFAULT_BURST.alerts} within ${DEFAULT_BURST.spreadMs} ms over ${DEFAULT_BURST.connections} connections\n`,
  );
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
    for (const variant of variants) {
      process.stdout.write(`${variant.label.padEnd(28)} ${await runOnce(variant, options)}\n`);
    }
  }
}

main().catch((error: Error) => {
  process.stderr.write(`burst-alone failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
