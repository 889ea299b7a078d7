import { IdleCreditThrottle } from '../../../src/exchange/ccxt/idle-credit-throttle';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';

/** A throttle on a hand-driven clock; timers are real but short. */
function throttleAt(rateLimitMs: number, capacity?: number) {
  let now = 0;
  const throttle = new IdleCreditThrottle(rateLimitMs, capacity, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

/**
 * Whether `fn` completes without waiting for any timer: it is raced against `setImmediate`, which runs only
 * after pending promise work, so a throttle that sleeps (even 1 ms) loses. Order of events, not a duration.
 */
const withoutWaiting = async (fn: () => Promise<void>): Promise<boolean> => {
  const done = fn().then(() => true);
  const later = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([done, later]);
};

describe('IdleCreditThrottle', () => {
  it('when calls come after idle time, then they go out at once up to the banked tokens', async () => {
    const { throttle, advance } = throttleAt(50, 5);
    advance(10_000);
    const atOnce = await withoutWaiting(async () => {
      await throttle.take(4);
      await throttle.take(1);
    });
    expect(atOnce).toBe(true);
  });

  it('when the balance is negative, then the next call waits for it to refill (same average rate as ccxt)', async () => {
    let now = 0;
    const throttle = new IdleCreditThrottle(20, 1, () => now);
    await throttle.take(3); // balance 1 - 3 = -2: the next call must wait 2 tokens × 20 ms
    const pending = throttle.take(1);
    let done = false;
    void pending.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    now += 40; // the refill after the timer sees the 40 ms
    await pending;
    expect(done).toBe(true);
  });

  it('when idle for long, then no more than the capacity is banked', async () => {
    const { throttle, advance } = throttleAt(1000, 2);
    advance(1_000_000);
    await throttle.take(2); // uses the whole bank: balance 0
    await throttle.take(1); // proceeds at 0, leaves -1
    const third = throttle.take(1);
    let done = false;
    void third.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false); // a bigger bank would have let it through
    advance(1000);
    await third;
  });

  it('when a ccxt exchange is built, then its throttle is the idle-crediting one: an isolated call does not wait', async () => {
    const exchange = createCcxtExchange({
      id: 'a',
      exchange: 'binance',
      sandbox: false,
      paper: true,
      ccxt: {},
      symbols: [],
    });
    // ccxt's own limiter makes the second of two weight-4 calls wait about 4 × 50 ms; the bank lets both go.
    const atOnce = await withoutWaiting(async () => {
      await exchange.throttle(4);
      await exchange.throttle(4);
    });
    expect(atOnce).toBe(true);
  });
});
