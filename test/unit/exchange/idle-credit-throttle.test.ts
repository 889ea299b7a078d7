import { IdleCreditThrottle } from '../../../src/exchange/ccxt/idle-credit-throttle';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';

/** A throttle on a hand-driven clock. */
function throttleAt(rateLimitMs: number, capacity?: number) {
  let now = 0;
  const throttle = new IdleCreditThrottle(rateLimitMs, capacity, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

/**
 * Whether a promise settles without any timer firing: fake timers are on, so a call that has to wait for a
 * refill (a setTimeout) stays pending however many microtask turns pass.
 */
async function settlesWithoutWaiting(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
  return settled;
}

describe('IdleCreditThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when calls come after idle time, then they go out at once up to the banked tokens', async () => {
    const { throttle, advance } = throttleAt(50, 5);
    advance(10_000);
    expect(await settlesWithoutWaiting(throttle.take(4))).toBe(true);
    expect(await settlesWithoutWaiting(throttle.take(1))).toBe(true);
    // The bank (5) is spent; a call still proceeds at balance 0 (ccxt's rule), then the next one waits.
    expect(await settlesWithoutWaiting(throttle.take(1))).toBe(true);
    expect(await settlesWithoutWaiting(throttle.take(1))).toBe(false);
  });

  it('when the balance is negative, then the next call waits for it to refill (same average rate as ccxt)', async () => {
    let now = 0;
    const throttle = new IdleCreditThrottle(20, 1, () => now);
    await throttle.take(3); // balance 1 - 3 = -2: the next call must wait 2 tokens × 20 ms
    const pending = throttle.take(1);
    expect(await settlesWithoutWaiting(pending)).toBe(false);
    now += 40; // the refill after the timer sees the 40 ms
    jest.advanceTimersByTime(40);
    expect(await settlesWithoutWaiting(pending)).toBe(true);
  });

  it('when idle for long, then no more than the capacity is banked', async () => {
    const { throttle, advance } = throttleAt(1000, 2);
    advance(1_000_000);
    await throttle.take(2); // uses the whole bank: balance 0
    await throttle.take(1); // proceeds at 0, leaves -1
    const third = throttle.take(1);
    expect(await settlesWithoutWaiting(third)).toBe(false); // a bigger bank would have let it through
    advance(1000);
    jest.advanceTimersByTime(1000);
    expect(await settlesWithoutWaiting(third)).toBe(true);
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
    // ccxt's own limiter makes the second of two isolated weight-4 calls wait about 4 × 50 ms.
    expect(await settlesWithoutWaiting(exchange.throttle(4))).toBe(true);
    jest.advanceTimersByTime(300);
    expect(await settlesWithoutWaiting(exchange.throttle(4))).toBe(true);
  });
});
