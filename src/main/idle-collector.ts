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
}

/** Utilisation that counts as a burst (the web at full load). */
const BUSY = 0.5;
/** Utilisation that counts as quiet again. */
const QUIET = 0.05;
/**
 * Quiet samples before each collection. The first frees the burst's garbage from the old generation; the
 * second comes once V8's allocation rate (averaged over 5 s) is low, when a full collection also gives the
 * young generation, grown to its limit during the burst, back to its minimum.
 */
const COLLECT_AFTER = [1, 6] as const;

/**
 * After a burst, gives its memory back within seconds. V8 collects the old generation when it grows, not
 * when the process falls idle; its own memory reducer waits for 8 s timers and an allocation rate measured
 * over 5 s, so a web process that took a 5,000-alert burst stayed ~20 MB above its idle size for 20 s or
 * more (issue 7: "back near idle within seconds"). This watches the event loop: once it was busy (≥ 50 %
 * over a second) and has been quiet (< 5 %) for 1 s, it collects once; after 6 quiet seconds, once more.
 * A burst that resumes re-arms it. It never collects while the process is busy.
 */
export function startIdleCollector(options: IdleCollectorOptions): { stop(): void } {
  let armed = false;
  let quiet = 0;
  const timer = setInterval(() => {
    const u = options.utilization();
    if (u >= BUSY) {
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
    if ((COLLECT_AFTER as readonly number[]).includes(quiet)) options.collect();
    if (quiet >= COLLECT_AFTER[COLLECT_AFTER.length - 1]) armed = false;
  }, options.intervalMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
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
