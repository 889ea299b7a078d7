import { type Clock, ShutdownInterrupt } from '../../../src/util/clock';

/**
 * A clock that only moves when told: `sleep` advances it at once (and lets other tasks run), so code that
 * waits minutes runs in microseconds and every timestamp in a test is exact.
 */
export class FakeClock implements Clock {
  /** Every sleep asked for, in order. */
  readonly sleeps: number[] = [];
  /** Called after each sleep (e.g. to make something happen "meanwhile"). */
  onSleep?: (now: number) => void;

  constructor(private t = Date.UTC(2025, 0, 2, 14, 0, 0)) {}

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  async sleep(ms: number, abort?: AbortSignal): Promise<void> {
    if (abort?.aborted) throw new ShutdownInterrupt();
    this.sleeps.push(ms);
    this.t += ms;
    this.onSleep?.(this.t);
    await Promise.resolve();
    if (abort?.aborted) throw new ShutdownInterrupt();
  }
}
