import { FakeBinance, FakeBybit, type SessionUnderTest, startSession } from '../../support/fake-exchange';

/** Account-wide listings (snapshots, flatten): every position and open order, without a symbol to start from. */
describe('CcxtSession account listings (real ccxt against the fakes)', () => {
  describe('Binance USDⓈ-M', () => {
    let t: SessionUnderTest<FakeBinance>;
    beforeAll(async () => {
      t = await startSession(new FakeBinance('binanceusdm'), { defaultType: 'swap' });
      await t.session.warmUp();
    });
    afterAll(() => t.close());

    it('when the account holds a short and a resting order, then fetchPositions and fetchOpenOrders list them', async () => {
      t.fake.state.prices = { ...t.fake.state.prices, BTCUSDT: 60000, ETHUSDT: 3000 };
      t.fake.state.positions = { BTCUSDT: { amount: -0.01, entryPrice: 61000 } };
      await t.session.createOrder({
        leg: 'open',
        clientOrderId: 'lstAopen',
        symbol: 'ETH/USDT:USDT',
        side: 'buy',
        type: 'limit',
        amount: 0.1,
        price: 2500,
      });

      const positions = await t.session.fetchPositions();
      const orders = await t.session.fetchOpenOrders();

      expect(positions).toEqual([
        expect.objectContaining({
          symbol: 'BTC/USDT:USDT',
          contracts: -0.01,
          side: 'short',
          entryPrice: 61000,
        }),
      ]);
      expect(orders).toEqual([
        expect.objectContaining({
          clientOrderId: 'lstAopen',
          symbol: 'ETH/USDT:USDT',
          status: 'open',
          price: 2500,
        }),
      ]);
    });
  });

  describe('Binance (spot and futures markets on one class)', () => {
    let t: SessionUnderTest<FakeBinance>;
    beforeAll(async () => {
      t = await startSession(new FakeBinance('binance'), { defaultType: 'spot' });
      await t.session.warmUp();
    });
    afterAll(() => t.close());

    it('when a spot order rests, then it is listed without a symbol (the unfiltered-list warning acknowledged)', async () => {
      await t.session.createOrder({
        leg: 'open',
        clientOrderId: 'lstBopen',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: 0.001,
        price: 50000,
      });
      const orders = await t.session.fetchOpenOrders();
      expect(orders.map((o) => [o.clientOrderId, o.symbol, o.status])).toEqual([
        ['lstBopen', 'BTC/USDT', 'open'],
      ]);
      expect(await t.session.fetchPositions()).toEqual([]);
    });
  });

  describe('Bybit linear', () => {
    let t: SessionUnderTest<FakeBybit>;
    beforeAll(async () => {
      t = await startSession(new FakeBybit(), { defaultType: 'swap' });
      await t.session.warmUp();
    });
    afterAll(() => t.close());

    it('when the account holds a long and a resting order, then both are listed', async () => {
      t.fake.state.positions = { BTCUSDT: { size: 0.02, avgPrice: 59000 } };
      await t.session.createOrder({
        leg: 'open',
        clientOrderId: 'lstCopen',
        symbol: 'ETH/USDT:USDT',
        side: 'buy',
        type: 'limit',
        amount: 0.1,
        price: 2500,
      });

      expect(await t.session.fetchPositions()).toEqual([
        expect.objectContaining({
          symbol: 'BTC/USDT:USDT',
          contracts: 0.02,
          side: 'long',
          entryPrice: 59000,
        }),
      ]);
      expect((await t.session.fetchOpenOrders()).map((o) => [o.clientOrderId, o.status])).toEqual([
        ['lstCopen', 'open'],
      ]);
    });
  });
});
