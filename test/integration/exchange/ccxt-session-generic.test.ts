import { CcxtSession } from '../../../src/exchange/ccxt/ccxt-session';
import { exchangeTraits } from '../../../src/exchange/ccxt/exchange-traits';
import { NO_WINDOW_GRACE_MS } from '../../../src/exchange/ccxt/order-window';
import type { OrderIntent } from '../../../src/exchange/exchange-session';
import { FAST_POLICY, FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { intent } from './order-intent';

/**
 * The behaviour every exchange without a row in the traits table gets (kraken, coinbase…): orders found by
 * scanning the open and done lists, open orders canceled one by one where there is no cancel-all, no receive
 * window. Proven on the Binance fake with the generic traits and ccxt `has` flags switched off, so that the
 * real ccxt request building and parsing run.
 */
describe('CcxtSession with the generic traits (exchanges without a row in the table)', () => {
  const fake = new FakeBinance();
  const generic = exchangeTraits('an-exchange-without-a-row');
  const sessions: CcxtSession[] = [];

  beforeAll(() => fake.start());
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await fake.close();
  });

  const session = (has: Record<string, boolean> = {}) => {
    const made = new CcxtSession({
      account: makeCcxtAccount(fake, { ccxt: { has } }),
      policy: FAST_POLICY,
      traits: generic,
    });
    sessions.push(made);
    return made;
  };

  /** Other tests of this file leave orders resting; a cancel test starts from an empty book. */
  const emptyBook = () => {
    for (const order of fake.state.openOrders('spot', 'BTCUSDT')) order.status = 'CANCELED';
  };

  const limitBuy = (clientOrderId: string): OrderIntent => ({
    leg: 'open',
    clientOrderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    amount: 0.001,
    price: 50_000,
    timeInForce: 'GTC',
  });
  const marketBuy = (clientOrderId: string): OrderIntent => ({
    leg: 'open',
    clientOrderId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: 0.001,
  });

  it('when an order is looked up, then it is found in the open list, else in the done list, else it is absent', async () => {
    const s = session();
    await s.createOrder(limitBuy('genOpen1'));
    await s.createOrder(marketBuy('genDone1'));

    await expect(s.findOrder('BTC/USDT', 'genOpen1')).resolves.toMatchObject({ status: 'open' });
    await expect(s.findOrder('BTC/USDT', 'genDone1')).resolves.toMatchObject({
      status: 'closed',
      filled: 0.001,
    });
    await expect(s.findOrder('BTC/USDT', 'genNever1')).resolves.toBeUndefined();
    // Scans, not exact lookups: the open list, then every order of the symbol.
    expect(fake.requestsFor('queryOrder')).toEqual([]);
    expect(fake.requestsFor('openOrders').length).toBeGreaterThanOrEqual(3);
    expect(fake.requestsFor('allOrders').length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['closed orders only', 'genListA', { fetchCanceledAndClosedOrders: false }],
    ['all orders only', 'genListB', { fetchCanceledAndClosedOrders: false, fetchClosedOrders: false }],
    ['done orders (no open list)', 'genListC', { fetchOpenOrders: false }],
  ])('when the exchange lists %s, then a filled order is still found', async (_what, id, has) => {
    const s = session(has);
    await s.createOrder(marketBuy(id));
    await expect(s.findOrder('BTC/USDT', id)).resolves.toMatchObject({ status: 'closed' });
  });

  it('when the exchange can list no done orders at all, then only open orders can be found', async () => {
    const s = session({ fetchCanceledAndClosedOrders: false, fetchClosedOrders: false, fetchOrders: false });
    await s.createOrder(marketBuy('genNoList'));
    await expect(s.findOrder('BTC/USDT', 'genNoList')).resolves.toBeUndefined();
  });

  it('when there is no cancel-all, then each open order is canceled by itself, and one already gone is no error', async () => {
    const s = session({ cancelAllOrders: false });
    emptyBook();
    const before = fake.requestsFor('cancelOrder').length;
    await s.createOrder(limitBuy('genCancel1'));
    await s.createOrder(limitBuy('genCancel2'));
    // The first filled between the list and its cancel: Binance answers -2011 Unknown order sent.
    fake.failNext('cancelOrder', { binanceCode: -2011, msg: 'Unknown order sent.' });

    const canceled = await s.cancelOpenOrders('BTC/USDT');

    expect(canceled.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['genCancel1', 'canceled'],
      ['genCancel2', 'canceled'],
    ]);
    expect(fake.requestsFor('cancelOrder').length - before).toBe(2);
    expect(fake.requestsFor('cancelAll')).toEqual([]);
  });

  it('when a cancel fails for another reason, then the failure is reported', async () => {
    const s = session({ cancelAllOrders: false });
    emptyBook();
    await s.createOrder(limitBuy('genCancel3'));
    fake.failNext('cancelOrder', { binanceCode: -1013, msg: 'Filter failure: whatever' });
    await expect(s.cancelOpenOrders('BTC/USDT')).rejects.toMatchObject({ kind: 'permanent' });
  });

  it('when the exchange has no receive window, then a miss proves absence only after the call timeout and a grace period', () => {
    const s = session();
    expect(s.orderAcceptWindowMs).toBe(FAST_POLICY.timeoutMs! + 5_000 + NO_WINDOW_GRACE_MS);
  });
});

describe('CcxtSession cancel-all on Binance spot', () => {
  const fake = new FakeBinance();
  let s: CcxtSession;

  beforeAll(async () => {
    await fake.start();
    s = new CcxtSession({ account: makeCcxtAccount(fake), policy: FAST_POLICY });
  });
  afterAll(async () => {
    await s.close();
    await fake.close();
  });
  // Each test starts from an empty book, whatever ran before it.
  beforeEach(() => {
    for (const order of fake.state.openOrders('spot', 'BTCUSDT')) order.status = 'CANCELED';
  });

  it('when the book empties between the list and the cancel-all (-2011), then that counts as done', async () => {
    await s.createOrder(
      intent('bnRace1', 'BTC/USDT', { type: 'limit', amount: 0.001, price: 50_000, timeInForce: 'GTC' }),
    );
    fake.failNext('cancelAll', { binanceCode: -2011, msg: 'Unknown order sent.' });
    await expect(s.cancelOpenOrders('BTC/USDT')).resolves.toEqual([
      expect.objectContaining({ clientOrderId: 'bnRace1', status: 'canceled' }),
    ]);
  });

  it('when cancel-all fails for another reason, then the failure is reported', async () => {
    await s.createOrder(
      intent('bnRace2', 'BTC/USDT', { type: 'limit', amount: 0.001, price: 50_000, timeInForce: 'GTC' }),
    );
    fake.failNext('cancelAll', { binanceCode: -1013, msg: 'Filter failure: whatever' });
    await expect(s.cancelOpenOrders('BTC/USDT')).rejects.toMatchObject({ kind: 'permanent' });
  });
});
