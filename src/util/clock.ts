/** Thrown (and caught by the worker) when a wait is cut short because the process is shutting down. */
export class ShutdownInterrupt extends Error {
  constructor() {
    super('shutting down');
    this.name = 'ShutdownInterrupt';
  }
}

/**
 * Time as the engine sees it: what time it is, and waiting. Injected wherever time decides an outcome
 * (expiry, retry deadlines, receive windows, the order watch), so that tests drive it instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with {@link ShutdownInterrupt} as soon as `abort` aborts. */
  sleep(ms: number, abort?: AbortSignal): Promise<void>;
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

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep };
