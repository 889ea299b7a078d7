/** What one measured load run against one target produced. */
export interface LoadResult {
  /** Mean of autocannon's per-second samples of completed requests. */
  requestsPerSecond: number;
  /** Responses received during the measured run. */
  responses: number;
  durationSeconds: number;
  /** Exact percentiles over every response of the measured run (autocannon's own histogram has 1 ms steps). */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Responses per HTTP status. */
  statusCounts: Record<string, number>;
  /** Responses outside 2xx, as autocannon counts them. */
  non2xx: number;
  /** Responses whose status differs from the one every request must get (202), 2xx included. */
  unexpectedStatus: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Share of time the client thread (autocannon) was busy: near 1 means the client, not the server, limits. */
  clientBusy: number;
  /** Share of time the main thread (the server under test) was busy during the measured run. */
  serverBusy: number;
  /**
   * CPU time of the main thread per response, in µs (Linux /proc; 10 ms ticks). Robust to other processes
   * stealing CPU, so it compares runs on a noisy machine better than req/s.
   */
  serverCpuUsPerRequest: number;
}

/** Percentile (0-100) of an ascending-sorted array, nearest-rank. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
