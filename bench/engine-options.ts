import { type EngineAblation, parseEngineAblations } from './engine-ablation';

/** How the engine benchmark loads tradehook. */
export interface EngineOptions {
  /** Alerts per second of the latency run (open loop, round-robin over the symbols). */
  rate: number;
  /** Measured seconds of the latency run. */
  durationSeconds: number;
  /** Seconds sent (at the same rate, in the same stream) before the measured part; not measured. */
  warmupSeconds: number;
  /** Signals queued at once for the throughput run. */
  signals: number;
  /** WORKER_CONCURRENCY of the one worker process. */
  workerConcurrency: number;
  /** Connections that queue the throughput run's signals over HTTP. */
  enqueueConnections: number;
  /** ccxt `rateLimit` (ms) of the account: 1 keeps ccxt's limiter out of the way; Binance's own is 50. */
  ccxtRateLimitMs: number;
  /**
   * Keep Node's source-mapped stack traces on (tsx turns them on). Off by default: production runs compiled
   * JS without --enable-source-maps, and with them every Error whose `stack` is read costs far more.
   */
  sourceMaps: boolean;
  /** What-if changes to the worker (engine-ablation.ts); none in a normal run. */
  ablations: EngineAblation[];
}

export const DEFAULT_ENGINE: EngineOptions = {
  rate: 100,
  durationSeconds: 20,
  warmupSeconds: 3,
  signals: 2000,
  workerConcurrency: 8,
  enqueueConnections: 32,
  ccxtRateLimitMs: 1,
  sourceMaps: false,
  ablations: [],
};

/**
 * `BENCH_ENGINE_RATE` (alerts/s), `BENCH_ENGINE_DURATION` (s), `BENCH_ENGINE_WARMUP` (s),
 * `BENCH_ENGINE_SIGNALS`, `BENCH_ENGINE_CONCURRENCY` (WORKER_CONCURRENCY), `BENCH_ENGINE_CCXT_RATE_LIMIT` (ms)
 * `BENCH_ENGINE_SOURCE_MAPS=1` and `BENCH_ENGINE_ABLATE` (comma-separated, see engine-ablation.ts) override the
 * defaults.
 */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  return {
    rate: read(env, 'BENCH_ENGINE_RATE', DEFAULT_ENGINE.rate),
    durationSeconds: read(env, 'BENCH_ENGINE_DURATION', DEFAULT_ENGINE.durationSeconds),
    warmupSeconds: read(env, 'BENCH_ENGINE_WARMUP', DEFAULT_ENGINE.warmupSeconds, { zero: true }),
    signals: read(env, 'BENCH_ENGINE_SIGNALS', DEFAULT_ENGINE.signals, { integer: true }),
    workerConcurrency: read(env, 'BENCH_ENGINE_CONCURRENCY', DEFAULT_ENGINE.workerConcurrency, {
      integer: true,
    }),
    enqueueConnections: DEFAULT_ENGINE.enqueueConnections,
    ccxtRateLimitMs: read(env, 'BENCH_ENGINE_CCXT_RATE_LIMIT', DEFAULT_ENGINE.ccxtRateLimitMs),
    sourceMaps: env.BENCH_ENGINE_SOURCE_MAPS === '1',
    ablations: parseEngineAblations(env.BENCH_ENGINE_ABLATE),
  };
}

function read(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  rules: { integer?: boolean; zero?: boolean } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const ok =
    Number.isFinite(value) &&
    (rules.zero ? value >= 0 : value > 0) &&
    (!rules.integer || Number.isInteger(value));
  if (!ok) {
    const what = `${rules.integer ? 'a whole' : 'a'} number ${rules.zero ? '>= 0' : '> 0'}`;
    throw new Error(`${name}: expected ${what}, got "${raw}"`);
  }
  return value;
}
