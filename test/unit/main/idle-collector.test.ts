import { fullCollection, startIdleCollector } from '../../../src/main/idle-collector';

/**
 * Runs the collector over a sequence of per-second utilisations, each collection taking `collectMs` on the
 * collector's clock; returns after which samples it collected.
 */
function collectionsFor(samples: number[], collectMs = 0): number[] {
  jest.useFakeTimers();
  const collected: number[] = [];
  let i = 0;
  let clock = 0;
  const collector = startIdleCollector({
    collect: () => {
      collected.push(i);
      clock += collectMs;
    },
    utilization: () => samples[i++] ?? 0,
    intervalMs: 1000,
    now: () => clock,
  });
  try {
    jest.advanceTimersByTime(samples.length * 1000);
  } finally {
    collector.stop();
    jest.useRealTimers();
  }
  return collected;
}

const quiet = (n: number) => Array.from({ length: n }, () => 0.01);

describe('startIdleCollector', () => {
  it('when a burst is followed by quiet, then it collects after 1 and after 7 quiet seconds, and no more', () => {
    const samples = [0.02, 0.9, 1, 0.8, ...quiet(12)];
    // Sample 4 (0-based) is the first quiet one; i is counted after the read.
    expect(collectionsFor(samples)).toEqual([5, 11]);
  });

  it('when a batch keeps the loop 10-50 % busy for a second, then it is activity too', () => {
    expect(collectionsFor([0.15, ...quiet(10)])).toEqual([2, 8]);
  });

  it('when the process was never more than 10 % busy, then it never collects', () => {
    expect(collectionsFor(quiet(20))).toEqual([]);
    expect(collectionsFor([0.09, 0.08, ...quiet(10), 0.09, ...quiet(10)])).toEqual([]);
  });

  it('when light load (5-10 %) interrupts the quiet, then the quiet seconds count from zero again', () => {
    const samples = [1, 0.01, 0.07, ...quiet(7), 0.07];
    expect(collectionsFor(samples)).toEqual([2, 4, 10]);
  });

  it('when a second burst comes after the collections, then it collects again after it', () => {
    expect(collectionsFor([1, ...quiet(8), 0.7, ...quiet(8)])).toEqual([2, 8, 11, 17]);
  });

  it('when light load and quiet follow the collections, then nothing more is collected without new activity', () => {
    expect(collectionsFor([1, ...quiet(8), 0.07, ...quiet(8)])).toEqual([2, 8]);
  });

  it('when its own collection takes 300 ms (a slow machine), then that time is not activity', () => {
    // The sample after each collection holds its 300 ms, and 20 ms of real quiet.
    const samples = [1, 0.01, 0.32, 0.01, 0.01, 0.01, 0.01, 0.01, 0.32, ...quiet(6)];
    const collected = collectionsFor(samples, 300);
    // As if those samples were quiet: after 1 and after 7 quiet seconds, and no more (counted as activity,
    // the first collection's time re-armed it: collections at 2, 4, 6, … and never the 7th quiet second).
    expect(collected).toEqual([2, 8]);
  });

  it('when the process stays busy, then it never collects', () => {
    expect(collectionsFor(Array.from({ length: 20 }, () => 0.95))).toEqual([]);
  });
});

describe('startIdleCollector: work set aside (the warm-up)', () => {
  /**
   * Runs the collector over per-second utilisations with `afterCollections` taking `workSeconds` of its own;
   * returns when it collected and when the work started (sample indexes, as above).
   */
  async function withWork(samples: number[], workSeconds: number, options: { boot?: number } = {}) {
    jest.useFakeTimers();
    const collected: number[] = [];
    const worked: number[] = [];
    let i = 0;
    const work = () => {
      worked.push(i);
      return new Promise<void>((resolve) => setTimeout(resolve, workSeconds * 1000 - 500));
    };
    const collector = startIdleCollector({
      collect: () => collected.push(i),
      utilization: () => samples[i++] ?? 0,
      intervalMs: 1000,
      afterCollections: work,
    });
    try {
      if (options.boot !== undefined) {
        collector.aside(new Promise<void>((resolve) => setTimeout(resolve, options.boot! * 1000 - 500)));
      }
      await jest.advanceTimersByTimeAsync(samples.length * 1000);
    } finally {
      collector.stop();
      jest.useRealTimers();
    }
    return { collected, worked };
  }

  it('when the collections of a quiet spell are done, then the work runs once, after the last', async () => {
    const { collected, worked } = await withWork([1, ...quiet(12)], 2);
    expect(collected).toEqual([2, 8]);
    expect(worked).toEqual([8]);
  });

  it('when the work keeps the loop busy, then that does not arm the collector again', async () => {
    // The work runs from sample 8 for 1.5 s: samples 9 and 10 (busy, its own) are dropped.
    const { collected, worked } = await withWork([1, ...quiet(7), 0.9, 0.9, ...quiet(12)], 2);
    expect(collected).toEqual([2, 8]);
    expect(worked).toEqual([8]);
  });

  it('when real activity follows the work, then it counts and is collected after as before', async () => {
    const { collected, worked } = await withWork([1, ...quiet(7), 0.9, 0.9, 0.01, 0.8, ...quiet(8)], 2);
    expect(collected).toEqual([2, 8, 13, 19]);
    expect(worked).toEqual([8, 19]);
  });

  it('when work set aside at start keeps the loop busy, then it is not activity', async () => {
    const { collected, worked } = await withWork([0.9, 0.9, 0.9, ...quiet(12)], 0, { boot: 3 });
    expect(collected).toEqual([]);
    expect(worked).toEqual([]);
  });
});

describe('fullCollection', () => {
  it('when garbage fills the heap, then one collection gives most of it back', () => {
    const collect = fullCollection();
    collect();
    const before = process.memoryUsage().heapUsed;
    let garbage: string[] | undefined = Array.from(
      { length: 500_000 },
      (_, i) => `garbage-${i}-${'x'.repeat(40)}`,
    );
    expect(garbage.length).toBe(500_000);
    garbage = undefined;
    const filled = process.memoryUsage().heapUsed;
    collect();
    const after = process.memoryUsage().heapUsed;
    // Well over 20 MB of strings were allocated (~100 MB in Node 20: each is a chain of concatenations);
    // at least two thirds of what they added must be gone.
    expect(filled - before).toBeGreaterThan(20 * 1024 * 1024);
    expect(after - before).toBeLessThan((filled - before) / 3);
  });
});
