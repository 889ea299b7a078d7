import { placeOnce } from '../../../src/execution/order-placement';
import { FakeBinance, type SessionUnderTest, startSession } from '../../support/fake-exchange';
import { placeTwice, restingBuy } from './duplicate-refusal';
import { bracket, intent, stopLoss, takeProfit } from './order-intent';
import { firstRunOn } from './run-context';

describe.each([
  ['binance', 'swap'],
  ['binanceusdm', 'spot'],
] as const)(
  'CcxtSession on Binance USDⓈ-M futures via ccxt %s (defaultType %s)',
  (exchangeId, defaultType) => {
    let t: SessionUnderTest<FakeBinance>;
    const symbol = 'BTC/USDT:USDT';

    beforeEach(async () => {
      t = await startSession(new FakeBinance(exchangeId), { defaultType });
      await t.session.warmUp();
    });
    afterEach(() => t.close());

    const lastCreate = () => t.fake.requestsFor('createOrder').at(-1)!;

    it('when a market order opens a short, then the position is signed negative', async () => {
      const order = await t.session.createOrder(intent('futAopen', symbol, { side: 'sell' }));
      expect(lastCreate().path).toBe('/fapi/v1/order');
      expect(lastCreate().params).toMatchObject({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'MARKET',
        quantity: '0.01',
        newClientOrderId: 'futAopen',
      });
      expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 60000 });
      await expect(t.session.fetchPosition(symbol)).resolves.toEqual({
        symbol,
        contracts: -0.01,
        side: 'short',
        entryPrice: 60000,
      });
    });

    it('when a reduce-only limit order with a time in force is placed, then both reach Binance', async () => {
      await t.session.createOrder(intent('futBopen', symbol));
      await t.session.createOrder(takeProfit('futBtp', symbol, 66000, { timeInForce: 'GTC' }));
      expect(lastCreate().params).toMatchObject({
        type: 'LIMIT',
        price: '66000',
        reduceOnly: 'true',
        timeInForce: 'GTC',
        newClientOrderId: 'futBtp',
      });
      await expect(t.session.fetchPosition(symbol)).resolves.toMatchObject({ contracts: 0.01, side: 'long' });
    });

    it('when a post-only limit order is placed, then it is sent as GTX', async () => {
      await t.session.createOrder(
        intent('futCopen', symbol, { type: 'limit', price: 55000, postOnly: true }),
      );
      expect(lastCreate().params).toMatchObject({
        type: 'LIMIT',
        timeInForce: 'GTX',
        newClientOrderId: 'futCopen',
      });
    });

    it('when a reduce-only order has nothing to reduce, then Binance refuses it permanently', async () => {
      await expect(
        t.session.createOrder(intent('futDclose', symbol, { leg: 'close', side: 'sell', reduceOnly: true })),
      ).rejects.toMatchObject({
        kind: 'permanent',
        message: expect.stringContaining('ReduceOnly Order is rejected'),
      });
    });

    it('when a client order id is sent again while its order rests, then Binance refuses it (-4116) and the refusal is a duplicate_order_id', async () => {
      const first = await placeTwice(
        t.session,
        restingBuy('futJopen', symbol),
        'ClientOrderId is duplicated',
      );
      expect(first).toMatchObject({ status: 'open' });
      expect(t.fake.requestsFor('createOrder')).toHaveLength(2);
      expect(await t.session.fetchOpenOrders()).toEqual([
        expect.objectContaining({ id: first.id, clientOrderId: 'futJopen' }),
      ]);
    });

    it('when the engine sends an order whose client id already rests on Binance, then it adopts that order: one order, no failure', async () => {
      const resting = restingBuy('futKopen', symbol);
      const existing = await t.session.createOrder(resting);
      const ctx = firstRunOn(t.session, 'sig_futK');

      await placeOnce(ctx, resting, true);

      expect(ctx.progress.orders).toEqual([
        expect.objectContaining({ exchangeId: existing.id, clientOrderId: 'futKopen', status: 'open' }),
      ]);
      // Refused as a duplicate, then looked up by client id.
      expect(ctx.progress.calls.map((c) => [c.call, c.ok])).toEqual([
        ['createOrder', false],
        ['findOrder', true],
      ]);
      expect(await t.session.fetchOpenOrders()).toHaveLength(1);
    });

    it('when a stop-market order is placed, then it goes to the algo service and is found by client id there', async () => {
      await t.session.createOrder(intent('futEopen', symbol));
      await t.session.createOrder(stopLoss('futEsl', symbol, 57000));
      expect(lastCreate().path).toBe('/fapi/v1/algoOrder');
      expect(lastCreate().params).toMatchObject({
        algoType: 'CONDITIONAL',
        type: 'STOP_MARKET',
        triggerPrice: '57000',
        clientAlgoId: 'futEsl',
        reduceOnly: 'true',
      });
      await expect(t.session.findOrder(symbol, 'futEsl')).resolves.toMatchObject({
        clientOrderId: 'futEsl',
        status: 'open',
      });
      await expect(t.session.findOrder(symbol, 'futEopen')).resolves.toMatchObject({
        clientOrderId: 'futEopen',
        status: 'closed',
      });
      await expect(t.session.findOrder(symbol, 'neverSent')).resolves.toBeUndefined();
    });

    it('when orders rest in both books, then cancelOpenOrders cancels both', async () => {
      for (const order of bracket('futF', symbol)) await t.session.createOrder(order);
      const cancelled = await t.session.cancelOpenOrders(symbol);
      expect(cancelled.map((o) => [o.clientOrderId, o.status])).toEqual([
        ['futFtp', 'canceled'],
        ['futFsl', 'canceled'],
      ]);
      expect(t.fake.state.orders.filter((o) => o.status === 'NEW')).toHaveLength(0);
    });

    it('when leverage and margin mode are set, and set again, then "no need to change" counts as success', async () => {
      await t.session.setLeverage(symbol, 5);
      expect(t.fake.state.leverage.BTCUSDT).toBe(5);
      await t.session.setMarginMode(symbol, 'isolated');
      await t.session.setMarginMode(symbol, 'isolated'); // Binance answers -4046 "No need to change margin type."
      expect(t.fake.state.marginType.BTCUSDT).toBe('ISOLATED');
      expect(t.fake.requestsFor('setMarginMode')).toHaveLength(2);
    });

    it('when the futures balance is read, then the USDT margin balance is returned', async () => {
      await expect(t.session.fetchBalance()).resolves.toMatchObject({ USDT: { free: 10000, total: 10000 } });
      expect(t.fake.requestsFor('balance').at(-1)!.path).toMatch(/^\/fapi\/v[23]\/account$/);
    });
  },
);

describe('CcxtSession on Binance COIN-M futures via ccxt binance (the same duplicate refusal)', () => {
  let t: SessionUnderTest<FakeBinance>;
  const symbol = 'BTC/USD:BTC';

  beforeEach(async () => {
    t = await startSession(new FakeBinance('binance'), { defaultType: 'swap' });
    await t.session.warmUp();
  });
  afterEach(() => t.close());

  it('when a client order id is sent again while its order rests, then Binance refuses it (-4116) and the refusal is a duplicate_order_id', async () => {
    await placeTwice(
      t.session,
      restingBuy('coinJopen', symbol, { amount: 1 }),
      'ClientOrderId is duplicated',
    );
    expect(t.fake.requestsFor('createOrder').map((r) => r.path)).toEqual([
      '/dapi/v1/order',
      '/dapi/v1/order',
    ]);
  });
});
