import type { BreakerState } from '../../../src/exchange/policies/exchange-policy';
import {
  FAST_POLICY,
  FakeBinance,
  FakeBybit,
  type SessionUnderTest,
  startSession,
} from '../../support/fake-exchange';
import { eventually } from '../../support/test-app';
import { intent } from './order-intent';

const buy = (clientOrderId: string) =>
  ({ leg: 'open', clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001 }) as const;

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected a failure');
}

describe('CcxtSession resilience on Binance spot', () => {
  let t: SessionUnderTest<FakeBinance>;

  beforeEach(async () => {
    t = await startSession(new FakeBinance(), {}, { ...FAST_POLICY, timeoutMs: 300, halfOpenAfterMs: 1000 });
    await t.session.warmUp();
  });
  afterEach(() => t.close());

  it('when a read gets a 503 and then succeeds, then read() retried it', async () => {
    t.fake.failNext('balance', { status: 503 });
    await expect(t.session.fetchBalance()).resolves.toHaveProperty('USDT');
    expect(t.fake.requestsFor('balance')).toHaveLength(2);
  });

  it('when a read is rate limited or hits clock skew, then it is retried', async () => {
    t.fake.failNext('ticker', {
      status: 429,
      binanceCode: -1003,
      msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.',
    });
    t.fake.failNext('ticker', {
      binanceCode: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });
    await expect(t.session.fetchPrice('BTC/USDT')).resolves.toBe(60000);
    expect(t.fake.requestsFor('ticker')).toHaveLength(3);
  });

  it('when order creation gets a 503, then it is NOT retried and fails as a transient error', async () => {
    t.fake.failNext('createOrder', { status: 503 });
    const error = await failure(t.session.createOrder(buy('resA')));
    expect(error).toMatchObject({ code: 'exchange_unavailable', kind: 'transient' });
    expect(t.fake.requestsFor('createOrder')).toHaveLength(1);
    expect(t.fake.state.orders).toHaveLength(0);
  });

  it('when the response of an order is lost, then createOrder fails transiently and findOrder shows it was placed', async () => {
    t.fake.failNext('createOrder', { dropResponseAfterProcessing: true });
    const error = await failure(t.session.createOrder(buy('resB')));
    expect(error).toMatchObject({ kind: 'transient' });
    expect(t.fake.requestsFor('createOrder')).toHaveLength(1);
    // The caller's next step after an ambiguous failure: look up before sending again.
    await expect(t.session.findOrder('BTC/USDT', 'resB')).resolves.toMatchObject({
      clientOrderId: 'resB',
      status: 'closed',
      filled: 0.001,
    });
  });

  it("when the exchange holds an order request past the call's timeout, then its matching engine refuses it (the receive window is the timeout) and no order exists", async () => {
    t.fake.failNext('createOrder', { delayMs: 600 });
    const error = await failure(t.session.createOrder(buy('resC')));
    expect(error).toMatchObject({ code: 'timeout', kind: 'transient' });
    await eventually(async () => (t.fake.refused.length > 0 ? true : undefined));
    expect(t.fake.refused).toEqual([
      expect.objectContaining({ operation: 'createOrder', stage: 'execution' }),
    ]);
    await expect(t.session.findOrder('BTC/USDT', 'resC')).resolves.toBeUndefined();
    expect(t.fake.state.orders).toHaveLength(0);
  });

  it('when transient failures repeat, then the breaker opens, rejects fast without calling, and closes after a half-open success', async () => {
    const states: BreakerState[] = [];
    t.session.policy.onStateChange((state) => states.push(state));
    for (let i = 0; i < 5; i += 1) t.fake.failNext('balance', { status: 502 });
    await failure(t.session.fetchBalance()); // 3 attempts
    await failure(t.session.fetchBalance()); // 2 more: 5 in a row
    expect(t.session.policy.breakerState).toBe('open');

    const rejected = await failure(t.session.createOrder(buy('resD')));
    expect(rejected).toMatchObject({ code: 'circuit_open', kind: 'transient' });
    expect(t.fake.requestsFor('createOrder')).toHaveLength(0);

    // Half-open after 1 s (the session's policy): long enough that a loaded machine cannot reach it between
    // the last failure and the refused order above.
    await new Promise((resolve) => setTimeout(resolve, 1050));
    await expect(t.session.fetchBalance()).resolves.toHaveProperty('USDT');
    expect(t.session.policy.breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('when an error message carries the signed request URL, then no signature or key leaves the session', async () => {
    for (let i = 0; i < 3; i += 1) t.fake.failNext('balance', { status: 503 });
    const error = await failure(t.session.fetchBalance());
    expect(error.message).toContain('/api/v3/account?[redacted]');
    expect(
      JSON.stringify({
        message: error.message,
        cause: String((error.cause as Error).message),
        stack: error.stack,
      }),
    ).not.toMatch(/signature=|fake-secret|fake-api-key/);
  });
});

describe('CcxtSession resilience on Bybit', () => {
  let t: SessionUnderTest<FakeBybit>;

  beforeEach(async () => {
    t = await startSession(new FakeBybit(), { defaultType: 'swap' });
    await t.session.warmUp();
  });
  afterEach(() => t.close());

  it('when Bybit answers retCode 10006 (rate limit, HTTP 200), then a read is retried', async () => {
    t.fake.failNext('positions', { bybitRetCode: 10006, msg: 'Too many visits!' });
    await expect(t.session.fetchPosition('BTC/USDT:USDT')).resolves.toMatchObject({ side: 'flat' });
    expect(t.fake.requestsFor('positions')).toHaveLength(2);
  });

  it('when an order response is lost, then the order is found by orderLinkId afterwards', async () => {
    t.fake.failNext('createOrder', { dropResponseAfterProcessing: true });
    await expect(t.session.createOrder(intent('bybLost1', 'BTC/USDT:USDT'))).rejects.toMatchObject({
      kind: 'transient',
    });
    expect(t.fake.requestsFor('createOrder')).toHaveLength(1);
    await expect(t.session.findOrder('BTC/USDT:USDT', 'bybLost1')).resolves.toMatchObject({
      status: 'closed',
      filled: 0.01,
    });
  });
});
