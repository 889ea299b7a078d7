import { HISTOGRAM_FLOOR, type Histogram, addTo, histogramCount, percentile } from './histogram';
import { type Distribution, type ExecutionFigures } from './stats-types';

/** Counters of one group summed over buckets, before they are read as figures. Mergeable. */
export class FigureSum {
  readonly counts = new Map<string, number>();
  readonly sent: Histogram = new Map();
  readonly filled: Histogram = new Map();
  readonly slippage: Histogram = new Map();
  fills = 0;
  readonly fees = new Map<string, number>();
  readonly volume = new Map<string, number>();

  /** Adds one field of a bucket hash (its measure, see stats-lua.ts th_stats_measures, and its value). */
  add(measure: string, raw: string): void {
    const value = Number(raw);
    if (!Number.isFinite(value)) return;
    const colon = measure.indexOf(':');
    const kind = colon < 0 ? measure : measure.slice(0, colon);
    const arg = colon < 0 ? '' : measure.slice(colon + 1);
    switch (kind) {
      case 'n':
        return addAmount(this.counts, arg, value);
      case 'ls':
        return addTo(this.sent, Number(arg), value);
      case 'lf':
        return addTo(this.filled, Number(arg), value);
      case 'sl':
        return addTo(this.slippage, Number(arg), value);
      case 'fills':
        this.fills += value;
        return;
      case 'fee':
        return addAmount(this.fees, arg, value);
      case 'vol':
        return addAmount(this.volume, arg, value);
      default:
        return; // a measure of a newer version: ignored
    }
  }

  /** Adds another sum to this one. */
  merge(other: FigureSum): void {
    for (const [k, v] of other.counts) addAmount(this.counts, k, v);
    for (const [i, n] of other.sent) addTo(this.sent, i, n);
    for (const [i, n] of other.filled) addTo(this.filled, i, n);
    for (const [i, n] of other.slippage) addTo(this.slippage, i, n);
    this.fills += other.fills;
    for (const [k, v] of other.fees) addAmount(this.fees, k, v);
    for (const [k, v] of other.volume) addAmount(this.volume, k, v);
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  figures(): ExecutionFigures {
    const counts = Object.fromEntries([...this.counts].filter(([, n]) => n !== 0));
    return {
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      alertToSentMs: distribution(this.sent, HISTOGRAM_FLOOR.latencyMs),
      alertToFilledMs: distribution(this.filled, HISTOGRAM_FLOOR.latencyMs),
      slippageBps: distribution(this.slippage, HISTOGRAM_FLOOR.slippageBps),
      fills: this.fills,
      fees: amounts(this.fees),
      volume: amounts(this.volume),
    };
  }
}

function addAmount(into: Map<string, number>, key: string, value: number): void {
  into.set(key, (into.get(key) ?? 0) + value);
}

/** Sums of floating-point increments, shown to 10 significant digits (no 0.30000000000000004). */
function amounts(from: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of from) {
    const rounded = Number(v.toPrecision(10));
    if (rounded !== 0) out[k] = rounded;
  }
  return out;
}

function distribution(h: Histogram, floor: number): Distribution {
  return { count: histogramCount(h), p50: percentile(h, 0.5, floor), p99: percentile(h, 0.99, floor) };
}
