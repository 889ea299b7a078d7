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
