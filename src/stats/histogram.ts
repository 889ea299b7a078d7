/**
 * Mergeable histograms on fixed logarithmic buckets: a value is stored as the count of its bucket index, so
 * histograms of any minutes, hours or groups add up field by field (HINCRBY) and percentiles come from the
 * sum. Pure.
 *
 * Bucket `k ≥ 1` holds magnitudes in `[floor · RATIO^(k−1), floor · RATIO^k)`; bucket `0` holds magnitudes
 * below `floor`; negative values use the negative index of their magnitude, so indexes sort like values.
 * A percentile is answered as its bucket's geometric middle: within {@link HISTOGRAM_RESOLUTION} (relative)
 * of the exact nearest-rank percentile, or within `floor` of it near zero.
 */

/** Width of a bucket: each holds magnitudes 5 % apart. */
export const HISTOGRAM_RATIO = 1.05;
/** The largest relative error of a percentile read from a histogram: √RATIO − 1, about 2.5 %. */
export const HISTOGRAM_RESOLUTION = Math.sqrt(HISTOGRAM_RATIO) - 1;

/** The smallest magnitudes told apart, per measure: 1 ms of latency, 0.01 bps of slippage. */
export const HISTOGRAM_FLOOR = { latencyMs: 1, slippageBps: 0.01 } as const;

const LOG_RATIO = Math.log(HISTOGRAM_RATIO);

/** The bucket index of a value. */
export function bucketIndex(value: number, floor: number): number {
  const magnitude = Math.abs(value);
  if (!(magnitude >= floor)) return 0;
  // The epsilon keeps a value exactly on a border (floor · RATIO^k) in the bucket it starts.
  const k = 1 + Math.floor(Math.log(magnitude / floor) / LOG_RATIO + 1e-9);
  return value < 0 ? -k : k;
}

/** The value a bucket stands for: its geometric middle (0 for bucket 0). */
export function bucketValue(index: number, floor: number): number {
  if (index === 0) return 0;
  const k = Math.abs(index);
  const middle = floor * HISTOGRAM_RATIO ** (k - 1) * Math.sqrt(HISTOGRAM_RATIO);
  return index < 0 ? -middle : middle;
}

/** Bucket index → count. */
export type Histogram = Map<number, number>;

export function addTo(target: Histogram, index: number, count: number): void {
  const next = (target.get(index) ?? 0) + count;
  if (next === 0) target.delete(index);
  else target.set(index, next);
}

export function histogramCount(histogram: Histogram): number {
  let n = 0;
  for (const c of histogram.values()) n += c;
  return n;
}

/**
 * The nearest-rank `p` percentile (0 < p ≤ 1) as its bucket's value, rounded to 2 decimals; `null` for an
 * empty histogram.
 */
export function percentile(histogram: Histogram, p: number, floor: number): number | null {
  const n = histogramCount(histogram);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const index of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(index) ?? 0;
    if (seen >= rank) return Math.round(bucketValue(index, floor) * 100) / 100;
  }
  return null;
}
