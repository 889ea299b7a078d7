import { performance } from 'node:perf_hooks';

/**
 * A rate limiter for ccxt's `throttle(cost)`, with ccxt's average rate (one token per `rateLimitMs`) and
 * its rule (a call proceeds while the balance is not negative, then pays its cost), but which credits
 * idle time. ccxt's own leaky bucket restarts its clock each time its queue empties, so idle time is never
 * credited: every isolated call — a trading signal after a quiet hour — waits cost × rateLimit before it is
 * sent (Binance spot: 50 ms per weight unit). Here idle time refills the balance up to `capacity`, so a
 * signal's few calls go out at once, while a sustained stream is held to the same average as ccxt's.
 */
export class IdleCreditThrottle {
  private tokens: number;
  private at: number;
  private tail: Promise<void> = Promise.resolve();

  /**
   * @param rateLimitMs - ccxt's `rateLimit`: milliseconds per token.
   * @param capacity - The most tokens idle time can bank (the largest burst). @defaultValue one second's worth
   */
  constructor(
    private readonly rateLimitMs: number,
    private readonly capacity: number = Math.max(1, 1000 / rateLimitMs),
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.at = clock();
  }

  /** Resolves when a call of `cost` tokens may be sent. Calls are served in order. */
  take(cost = 1): Promise<void> {
    const turn = this.tail.then(() => this.wait(cost));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async wait(cost: number): Promise<void> {
    this.refill();
    if (this.tokens < 0) {
      await new Promise((resolve) => setTimeout(resolve, -this.tokens * this.rateLimitMs));
      this.refill();
    }
    this.tokens -= cost;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) / this.rateLimitMs);
    this.at = now;
  }
}
