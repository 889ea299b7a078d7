/** Thrown (and caught by the worker) when a wait is cut short because the process is shutting down. */
export class ShutdownInterrupt extends Error {
  constructor() {
    super('shutting down');
    this.name = 'ShutdownInterrupt';
  }
}

/** Sleeps `ms`, or rejects with {@link ShutdownInterrupt} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ShutdownInterrupt());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ShutdownInterrupt());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Delay before the n-th re-try (1-based) of a signal after a transient failure: exponential from
 * `baseMs`, capped at `maxMs`, with full jitter so that many signals waiting on one exchange do not
 * return to it at the same instant.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
