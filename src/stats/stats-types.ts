/**
 * The answers of `GET /api/v1/stats/summary` and `GET /api/v1/stats/execution` (docs/api.md "System"),
 * shared by the API's schemas (src/api/routes/stats-schemas.ts checks them against these) and the dashboard.
 * Types only: the dashboard imports this file.
 */

/** A distribution read from a histogram: percentiles within `resolution` (relative) of the exact ones. */
export interface Distribution {
  count: number;
  p50: number | null;
  p99: number | null;
}

/** What a set of signals did. Amounts by currency; `volume` is the filled cost in each quote currency. */
export interface ExecutionFigures {
  /** Signals by the status they have now (`placed`: still resting). */
  counts: Record<string, number>;
  /** Signals counted (the sum of `counts`). */
  total: number;
  /** Alert (its `timestamp`, else its receipt) → first order sent, ms. */
  alertToSentMs: Distribution;
  /** Alert → the last of its orders filled, ms; `filled` signals only. */
  alertToFilledMs: Distribution;
  /** Fill-weighted slippage of each signal against the alert's `price`, bps; positive is worse. */
  slippageBps: Distribution;
  /** Orders that filled (wholly or partly). */
  fills: number;
  fees: Record<string, number>;
  volume: Record<string, number>;
}

export interface StatsSummary extends ExecutionFigures {
  /** The window actually covered (whole minutes; whole hours beyond the last 48 h). */
  since: string;
  until: string;
  account: string | null;
  /** Relative resolution of the percentiles (0.025: within 2.5 %). */
  resolution: number;
}

export interface ExecutionBucket extends ExecutionFigures {
  /** Start of the bucket (UTC). */
  start: string;
}

export interface ExecutionGroup {
  /** The symbol (as alerts send it), strategy or account. */
  group: string;
  totals: ExecutionFigures;
  /** Buckets in which the group has signals, oldest first (empty buckets are left out). */
  buckets: ExecutionBucket[];
}

export type StatsGroupBy = 'symbol' | 'strategy' | 'account';
export type StatsBucketSize = '5m' | '1h' | '1d';

export interface ExecutionStats {
  groupBy: StatsGroupBy;
  bucket: StatsBucketSize;
  since: string;
  until: string;
  resolution: number;
  groups: ExecutionGroup[];
}
