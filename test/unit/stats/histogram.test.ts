import fc from 'fast-check';
import {
  HISTOGRAM_RESOLUTION,
  type Histogram,
  addTo,
  bucketIndex,
  percentile,
} from '../../../src/stats/histogram';
import { cover } from '../../../src/stats/stats-query';

const FLOOR = 1;

function histogramOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) addTo(h, bucketIndex(v, FLOOR), 1);
  return h;
}

const nearestRank = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1];

describe('log-scale histogram', () => {
  it('when values of either sign are counted, then p50 and p99 are within the stated resolution of the exact nearest-rank ones', () => {
    const value = fc.oneof(
      fc.double({ min: 1, max: 1e7, noNaN: true }),
      fc.double({ min: -1e5, max: -1, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        const h = histogramOf(values);
        for (const p of [0.5, 0.99]) {
          const exact = nearestRank(values, p);
          const read = percentile(h, p, FLOOR) as number;
          // rounding to 2 decimals adds at most 0.005
          expect(Math.abs(read - exact)).toBeLessThanOrEqual(Math.abs(exact) * HISTOGRAM_RESOLUTION + 0.005);
        }
      }),
    );
  });

  it('when two histograms are merged, then percentiles are those of all values together', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1 }),
        (a, b) => {
          const merged = histogramOf(a);
          for (const [i, c] of histogramOf(b)) addTo(merged, i, c);
          expect(percentile(merged, 0.5, FLOOR)).toBe(percentile(histogramOf([...a, ...b]), 0.5, FLOOR));
        },
      ),
    );
  });

  it('when a value is below the floor, then it counts as zero', () => {
    expect(bucketIndex(0.4, FLOOR)).toBe(0);
    expect(percentile(histogramOf([0.4]), 0.5, FLOOR)).toBe(0);
    expect(percentile(new Map(), 0.5, FLOOR)).toBeNull();
  });
});

describe('cover', () => {
  const MIN = 60_000;
  it('when a window of whole minutes is covered, then its buckets tile it exactly, with few of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 60 * 24 * 400 }),
        (start, length) => {
          const from = start * MIN;
          const to = from + length * MIN;
          const slots = cover(from, to);
          const size = { m: MIN, h: 60 * MIN, d: 24 * 60 * MIN };
          let t = from;
          for (const s of slots) {
            expect(s.start).toBe(t);
            expect(s.start % size[s.granularity]).toBe(0);
            t += size[s.granularity];
          }
          expect(t).toBe(to);
          expect(slots.length).toBeLessThanOrEqual(2 * 59 + 2 * 23 + Math.ceil(length / (24 * 60)));
        },
      ),
    );
  });
});
