import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
  /** Runs a full garbage collection (V8's `gc`). */
  collect: () => void;
  /** Event-loop utilisation (0-1) since the previous call. */
  utilization: () => number;
  /** How often utilisation is sampled. @defaultValue 1000 */
  intervalMs?: number;
  /**
   * Runs after the last collection of a quiet spell (the web's warm-up, which optimises again the code the
   * collections let V8 drop); its own activity is set {@link IdleCollector.aside}.
   */
  afterCollections?: () => Promise<unknown>;
  /** A monotonic clock, ms (to time the collections). @defaultValue `performance.now` */
  now?: () => number;
}

export interface IdleCollector {
  stop(): void;
  /**
   * Work of the process's own that is not activity (the warm-up): samples taken while it runs, and the one
   * that ends with it, are dropped, so that it neither arms the collector nor counts as quiet.
   */
  aside(work: Promise<unknown>): void;
}

/**
 * Utilisation that counts as activity worth giving back: a burst, or a batch of alerts (200 in a second is
 * ~15 %). Below it, V8's young generation does not grow, so a collection would give nothing back.
 */
const ACTIVE = 0.1;
/** Utilisation that counts as quiet again. */
const QUIET = 0.05;
/**
 * Quiet samples before each collection. The first frees the activity's garbage from the old generation. The
 * second gives the young generation, grown during the activity, back to its minimum: V8 shrinks it at a full
 * collection only when its allocation rate, averaged over the last 5 s of collections, is low. Six seconds
 * after the first, that average covers quiet time only; five after it (as before), the last scavenges of
 * a burst still counted, and with 16 MB semispaces the young generation stayed at 32 MB.
 */
const COLLECT_AFTER = [1, 7] as const;

/**
 * After a burst, gives its memory back within seconds. V8 collects the old generation when it grows, not
 * when the process falls idle; its own memory reducer waits for 8 s timers and an allocation rate measured
 * over 5 s, so a web process that took a 5,000-alert burst stayed ~20 MB above its idle size for 20 s or
 * more (issue 7: "back near idle within seconds"). This watches the event loop: once it was active (≥ 10 %
 * over a second) and has been quiet (< 5 %) for 1 s, it collects once; after 7 quiet seconds, once more.
 * Activity that resumes re-arms it. It never collects while the process is busy. Its own collections are
 * not activity.
 */
export function startIdleCollector(options: IdleCollectorOptions): IdleCollector {
  let armed = false;
  let quiet = 0;
  let asideRunning = 0;
  let dropNext = false;
  const aside = (work: Promise<unknown>) => {
    asideRunning += 1;
    void work
      .catch(() => undefined)
      .finally(() => {
        asideRunning -= 1;
        dropNext = true;
      });
  };
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 1000;
  // The last collection's own time, taken off the next sample: on a slow machine a collection reached 10 %
  // of a second by itself, counted as activity, and the collector collected every other second, never
  // getting to its second collection (nor to the warm-up after it).
  let ownMs = 0;
  const timer = setInterval(() => {
    const u = Math.max(0, options.utilization() - ownMs / intervalMs);
    ownMs = 0;
    if (asideRunning > 0 || dropNext) {
      dropNext = asideRunning > 0;
      return;
    }
    if (u >= ACTIVE) {
      armed = true;
      quiet = 0;
      return;
    }
    if (!armed) return;
    if (u >= QUIET) {
      quiet = 0;
      return;
    }
    quiet += 1;
    if ((COLLECT_AFTER as readonly number[]).includes(quiet)) {
      const started = now();
      options.collect();
      ownMs = now() - started;
    }
    if (quiet >= COLLECT_AFTER[COLLECT_AFTER.length - 1]) {
      armed = false;
      if (options.afterCollections) aside(options.afterCollections());
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), aside };
}

/** The process's event-loop utilisation since the previous call (Node's `eventLoopUtilization`). */
export function loopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}

/**
 * V8's full collection without `--expose-gc` on the command line (the same way Jest's leak detector gets
 * it): the flag exposes `gc` to contexts created from now on, and only to the one created here.
 */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  // Called without options: in Node 20's V8, `gc({ type: 'major' })` left most garbage in place.
  const gc = runInNewContext('gc') as () => void;
  return () => gc();
}
