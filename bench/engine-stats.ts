import { percentile } from './load-result';

/** Distribution of one measured quantity (ms unless said otherwise); nearest-rank percentiles. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Summarises the finite values of `values` (NaN marks a value that could not be measured). */
export function summarize(values: number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  const sorted = Float64Array.from(finite).sort();
  const sum = finite.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: sorted.length ? percentile(sorted, 50) : NaN,
    p90: sorted.length ? percentile(sorted, 90) : NaN,
    p99: sorted.length ? percentile(sorted, 99) : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Linear interpolation of a cumulative quantity sampled at increasing times. */
export function interpolate(samples: Array<{ at: number; value: number }>, at: number): number {
  if (samples.length === 0) return NaN;
  if (at <= samples[0].at) return samples[0].value;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    if (at <= b.at)
      return b.at === a.at ? b.value : a.value + ((b.value - a.value) * (at - a.at)) / (b.at - a.at);
  }
  return samples[samples.length - 1].value;
}
