/** How hard and how long one target is loaded. The same options apply to every target of a run. */
export interface LoadOptions {
  /** Measured seconds per target. */
  durationSeconds: number;
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Seconds of unmeasured load before each measured run (JIT, connection pools, Redis scripts). */
  warmupSeconds: number;
}

export const DEFAULT_LOAD: LoadOptions = { durationSeconds: 10, connections: 50, warmupSeconds: 2 };

/** `BENCH_DURATION` (s), `BENCH_CONNECTIONS` and `BENCH_WARMUP` (s) override the defaults. */
export function loadOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LoadOptions {
  return {
    durationSeconds: positive(env, 'BENCH_DURATION', DEFAULT_LOAD.durationSeconds),
    connections: positive(env, 'BENCH_CONNECTIONS', DEFAULT_LOAD.connections, true),
    warmupSeconds: positive(env, 'BENCH_WARMUP', DEFAULT_LOAD.warmupSeconds, false, true),
  };
}

function positive(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  integer = false,
  zeroAllowed = false,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const ok =
    Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new Error(`${name}: expected a ${integer ? 'whole ' : ''}number > 0, got "${raw}"`);
  return value;
}
