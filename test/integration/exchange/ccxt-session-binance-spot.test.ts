import { FakeBinance, type SessionUnderTest, startSession } from '../../support/fake-exchange';
import { placeTwice, restingBuy } from './duplicate-refusal';
import { intent } from './order-intent';

describe('CcxtSession on Binance spot (real ccxt against the fake)', () => {
  let t: SessionUnderTest<FakeBinance>;

  beforeEach(async () => {
    t = await startSession(new FakeBinance());
    await t.session.warmUp();
  });
  afterEach(() => t.close());

  const lastCreate = () => t.fake.requestsFor('createOrder').at(-1)!;

  it('when a market order is placed, then Binance gets the client id, the size and no price, signed', async () => {
    const order = await t.session.createOrder(
      intent('sigAopen', 'BTC/USDT', { price: 59990, reduceOnly: true }),
    );
    const sent = lastCreate();
    expect(sent.path).toBe('/api/v3/order');
    expect(sent.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      newClientOrderId: 'sigAopen',
    });
    expect(sent.params).not.toHaveProperty('price');
    expect(sent.params).not.toHaveProperty('quoteOrderQty');
    expect(sent.params).not.toHaveProperty('reduceOnly');
    expect(sent.params.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.headers['x-mbx-apikey']).toBe('fake-api-key-0123456789');
    expect(order).toMatchObject({
      clientOrderId: 'sigAopen',
      status: 'closed',
      filled: 0.01,
      average: 60000,
      cost: 600,
    });
  });

  it('when a limit order is placed with a time in force, then price and timeInForce reach Binance', async () => {
    const order = await t.session.createOrder(
      intent('sigBopen', 'ETH/USDT', { type: 'limit', amount: 0.5, price: 2900, timeInForce: 'IOC' }),
    );
    expect(lastCreate().params).toMatchObject({
      symbol: 'ETHUSDT',
      type: 'LIMIT',
      price: '2900',
      quantity: '0.5',
      timeInForce: 'IOC',
      newClientOrderId: 'sigBopen',
    });
    expect(order).toMatchObject({ status: 'open', filled: 0, price: 2900 });
  });

  it('when a post-only limit order is placed, then it becomes a LIMIT_MAKER order', async () => {
    await t.session.createOrder(
      intent('sigCopen', 'BTC/USDT', { type: 'limit', amount: 0.001, price: 50000, postOnly: true }),
    );
    expect(lastCreate().params).toMatchObject({
      type: 'LIMIT_MAKER',
      price: '50000',
      newClientOrderId: 'sigCopen',
    });
    expect(lastCreate().params).not.toHaveProperty('timeInForce');
  });

  it('when an order is looked up by client id, then it is found open or done, and unknown ids are undefined', async () => {
    await t.session.createOrder(intent('sigDopen', 'BTC/USDT', { amount: 0.001 }));
    await expect(t.session.findOrder('BTC/USDT', 'sigDopen')).resolves.toMatchObject({
      clientOrderId: 'sigDopen',
      status: 'closed',
      filled: 0.001,
    });
    expect(t.fake.requestsFor('queryOrder').at(-1)!.params).toMatchObject({
      symbol: 'BTCUSDT',
      origClientOrderId: 'sigDopen',
    });
    await expect(t.session.findOrder('BTC/USDT', 'neverSent')).resolves.toBeUndefined();
  });

  it('when the balance is too low, then the order fails permanently as insufficient_funds with the exchange message', async () => {
    const error = await t.session
      .createOrder(intent('sigEopen', 'BTC/USDT', { amount: 1 }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'insufficient_funds', kind: 'permanent' });
    expect((error as Error).message).toContain('Account has insufficient balance for requested action.');
    expect((error as Error).message).not.toContain('fake-secret');
  });

  it('when a client order id is sent again while its order rests, then Binance refuses it (-2010 "Duplicate order sent.") and the refusal is a duplicate_order_id', async () => {
    const resting = restingBuy('sigJopen', 'BTC/USDT', { amount: 0.001 });
    await placeTwice(t.session, resting, 'Duplicate order sent.');
    expect(t.fake.requestsFor('createOrder')).toHaveLength(2);
  });

  it('when the exchange answers -2010 with an insufficient balance message, then it maps to insufficient_funds', async () => {
    t.fake.failNext('createOrder', {
      binanceCode: -2010,
      msg: 'Account has insufficient balance for requested action.',
    });
    await expect(
      t.session.createOrder(intent('sigFopen', 'BTC/USDT', { amount: 0.001 })),
    ).rejects.toMatchObject({ code: 'insufficient_funds', kind: 'permanent' });
  });

  it('when an order is below the minimum notional, then Binance refuses it permanently (ccxt does not check cost.min)', async () => {
    // ccxt maps Binance -1013 "Filter failure" to BadRequest.
    await expect(
      t.session.createOrder(intent('sigGopen', 'BTC/USDT', { amount: 0.00001 })),
    ).rejects.toMatchObject({
      code: 'bad_request',
      kind: 'permanent',
      message: expect.stringContaining('Filter failure: NOTIONAL'),
    });
  });

  it('when balances and prices are read, then they come back in tradehook shape', async () => {
    await expect(t.session.fetchBalance()).resolves.toEqual({
      USDT: { free: 10000, used: 0, total: 10000 },
      BTC: { free: 0.5, used: 0, total: 0.5 },
      ETH: { free: 2, used: 0, total: 2 },
    });
    await expect(t.session.fetchPrice('ETH/USDT')).resolves.toBe(3000);
    await expect(t.session.fetchPosition('BTC/USDT')).resolves.toEqual({
      symbol: 'BTC/USDT',
      contracts: 0,
      side: 'flat',
    });
  });

  it('when nothing is open, then cancelOpenOrders sends no cancel (Binance would answer -2011)', async () => {
    await expect(t.session.cancelOpenOrders('BTC/USDT')).resolves.toEqual([]);
    expect(t.fake.requestsFor('cancelAll')).toHaveLength(0);
  });

  it('when orders are open, then cancelOpenOrders cancels them and returns them as canceled', async () => {
    await t.session.createOrder(
      intent('sigHopen', 'BTC/USDT', { type: 'limit', amount: 0.001, price: 50000 }),
    );
    const cancelled = await t.session.cancelOpenOrders('BTC/USDT');
    expect(cancelled).toEqual([expect.objectContaining({ clientOrderId: 'sigHopen', status: 'canceled' })]);
    expect(t.fake.requestsFor('cancelAll')).toHaveLength(1);
    await expect(t.session.findOrder('BTC/USDT', 'sigHopen')).resolves.toMatchObject({ status: 'canceled' });
  });

  it('when a filled market order id is sent again, then Binance fills it again (why lookups come first)', async () => {
    const again = intent('sigIopen', 'BTC/USDT', { amount: 0.001 });
    await t.session.createOrder(again);
    await t.session.createOrder(again);
    expect(t.fake.state.orders.filter((o) => o.clientOrderId === 'sigIopen')).toHaveLength(2);
  });
});
