import { placeOnce } from '../../../src/execution/order-placement';
import { FakeBybit, type SessionUnderTest, startSession } from '../../support/fake-exchange';
import { placeTwice } from './duplicate-refusal';
import { bracket, intent, stopLoss, takeProfit } from './order-intent';
import { firstRunOn } from './run-context';

describe('CcxtSession on Bybit linear v5 (real ccxt against the fake)', () => {
  let t: SessionUnderTest<FakeBybit>;
  const symbol = 'BTC/USDT:USDT';

  beforeEach(async () => {
    t = await startSession(new FakeBybit(), { defaultType: 'swap' });
    await t.session.warmUp();
  });
  afterEach(() => t.close());

  const lastCreate = () => t.fake.requestsFor('createOrder').at(-1)!;

  it('when the account has trade-only keys, then loading markets calls no private currency endpoint', () => {
    expect(t.fake.requestsFor('coinInfo')).toHaveLength(0);
    expect(t.fake.requestsFor('instruments').length).toBeGreaterThan(0);
  });

  it('when a market order is placed, then Bybit gets orderLinkId, and the fill is reported after a lookup', async () => {
    const order = await t.session.createOrder(intent('bybAopen', symbol, { price: 60000 }));
    const sent = lastCreate();
    expect(sent.params).toEqual({
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Market',
      qty: '0.01',
      orderLinkId: 'bybAopen',
    });
    expect(sent.headers['x-bapi-api-key']).toBe('fake-api-key-0123456789');
    expect(sent.headers['x-bapi-sign']).toMatch(/^[0-9a-f]{64}$/);
    // Bybit's create answer holds only ids: the session asked for status and fill.
    expect(order).toMatchObject({
      clientOrderId: 'bybAopen',
      status: 'closed',
      filled: 0.01,
      average: 60000,
    });
  });

  it('when a reduce-only post-only limit order is placed, then reduceOnly and PostOnly reach Bybit', async () => {
    await t.session.createOrder(intent('bybBopen', symbol));
    const order = await t.session.createOrder(takeProfit('bybBtp', symbol, 66000, { postOnly: true }));
    expect(lastCreate().params).toMatchObject({
      orderType: 'Limit',
      price: '66000',
      reduceOnly: true,
      timeInForce: 'PostOnly',
      orderLinkId: 'bybBtp',
    });
    expect(order).toMatchObject({ status: 'open', price: 66000 });
  });

  it('when a limit order has a time in force, then Bybit gets it', async () => {
    await t.session.createOrder(
      intent('bybCopen', symbol, { type: 'limit', price: 59000, timeInForce: 'IOC' }),
    );
    expect(lastCreate().params).toMatchObject({
      orderType: 'Limit',
      timeInForce: 'IOC',
      orderLinkId: 'bybCopen',
    });
  });

  it('when attached TP/SL are asked, then Bybit receives them on the order itself', async () => {
    await t.session.createOrder(intent('bybDopen', symbol, { takeProfitPrice: 66000, stopLossPrice: 57000 }));
    expect(lastCreate().params).toMatchObject({ takeProfit: '66000', stopLoss: '57000' });
  });

  it('when orders are looked up by client id, then open, filled and conditional ones are found and unknown ids are undefined', async () => {
    await t.session.createOrder(intent('bybEopen', symbol));
    await t.session.createOrder(stopLoss('bybEsl', symbol, 57000));
    expect(lastCreate().params).toMatchObject({
      triggerPrice: '57000',
      triggerDirection: 2,
      reduceOnly: true,
      orderLinkId: 'bybEsl',
    });
    await expect(t.session.findOrder(symbol, 'bybEopen')).resolves.toMatchObject({
      status: 'closed',
      filled: 0.01,
    });
    await expect(t.session.findOrder(symbol, 'bybEsl')).resolves.toMatchObject({ status: 'open' });
    await expect(t.session.findOrder(symbol, 'neverSent')).resolves.toBeUndefined();
    // Every lookup was filtered server side by orderLinkId (no scanning of whole order lists).
    const lookups = t.fake.requests.filter(
      (r) => r.operation === 'openOrders' || r.operation === 'orderHistory',
    );
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.filter((r) => r.params.orderLinkId === undefined)).toEqual([]);
  });

  it('when positions are read, then flat, long and short come back signed', async () => {
    await expect(t.session.fetchPosition(symbol)).resolves.toEqual({ symbol, contracts: 0, side: 'flat' });
    await t.session.createOrder(intent('bybFopen', symbol, { side: 'sell', amount: 0.02 }));
    await expect(t.session.fetchPosition(symbol)).resolves.toEqual({
      symbol,
      contracts: -0.02,
      side: 'short',
      entryPrice: 60000,
    });
    await t.session.createOrder(intent('bybFrev', symbol, { leg: 'rev', amount: 0.05 }));
    await expect(t.session.fetchPosition(symbol)).resolves.toMatchObject({ contracts: 0.03, side: 'long' });
  });

  it('when the leverage is already what is asked, then Bybit 110043 "not modified" counts as success', async () => {
    await t.session.setLeverage(symbol, 10); // the fake starts at 10: Bybit answers retCode 110043
    await t.session.setLeverage(symbol, 25);
    expect(t.fake.state.leverage.BTCUSDT).toBe(25);
    expect(t.fake.requestsFor('setLeverage')).toHaveLength(2);
    await t.session.setMarginMode(symbol, 'isolated');
    expect(t.fake.state.marginMode).toBe('ISOLATED_MARGIN');
  });

  it('when margin is insufficient, then Bybit 110007 maps to a permanent insufficient_funds with its message', async () => {
    await expect(t.session.createOrder(intent('bybGopen', symbol, { amount: 5 }))).rejects.toMatchObject({
      code: 'insufficient_funds',
      kind: 'permanent',
      message: expect.stringContaining('ab not enough for new order'),
    });
  });

  it('when an orderLinkId is reused, then Bybit refuses it (it checks all orders, not only open ones) with 110072, a duplicate_order_id', async () => {
    await placeTwice(t.session, intent('bybHopen', symbol), 'OrderLinkedID is duplicate');
    expect(t.fake.requestsFor('createOrder')).toHaveLength(2);
  });

  it('when the engine sends an order whose orderLinkId Bybit already holds (filled), then it adopts that order: one fill, no failure', async () => {
    const open = intent('bybJopen', symbol, { price: 60000 });
    const existing = await t.session.createOrder(open);
    const ctx = firstRunOn(t.session, 'sig_bybJ');

    await placeOnce(ctx, open, true);

    expect(ctx.progress.orders).toEqual([
      expect.objectContaining({
        exchangeId: existing.id,
        clientOrderId: 'bybJopen',
        status: 'closed',
        filled: 0.01,
      }),
    ]);
    // Refused as a duplicate, then looked up by client id.
    expect(ctx.progress.calls.map((c) => [c.call, c.ok])).toEqual([
      ['createOrder', false],
      ['findOrder', true],
    ]);
    await expect(t.session.fetchPosition(symbol)).resolves.toMatchObject({ contracts: 0.01 });
  });

  it('when orders rest, then cancelOpenOrders cancels normal and conditional ones', async () => {
    for (const order of bracket('bybI', symbol)) await t.session.createOrder(order);
    const cancelled = await t.session.cancelOpenOrders(symbol);
    expect(cancelled.map((o) => o.clientOrderId).sort()).toEqual(['bybIsl', 'bybItp']);
    expect(t.fake.requestsFor('cancelAll').map((r) => r.params.orderFilter)).toEqual([
      undefined,
      'StopOrder',
    ]);
  });

  it('when the balance is read, then the unified USDT wallet is returned', async () => {
    await expect(t.session.fetchBalance()).resolves.toEqual({ USDT: { free: 10000, used: 0, total: 10000 } });
  });
});
