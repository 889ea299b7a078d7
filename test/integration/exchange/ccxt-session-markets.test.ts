import { eventually } from '../../support/test-app';
import { FakeBinance, type SessionUnderTest, startSession } from '../../support/fake-exchange';
import { BINANCE_BTC_SPOT } from '../../unit/planning/fixtures';
import { intent } from './order-intent';

describe('CcxtSession markets (real ccxt binance against the fake)', () => {
  let t: SessionUnderTest<FakeBinance>;

  beforeEach(async () => {
    t = await startSession(new FakeBinance());
  });
  afterEach(() => t.close());

  const marketLoads = () => t.fake.requestsFor('exchangeInfo').length;

  it('when many callers ask for markets at once, then the exchange is asked once', async () => {
    const results = await Promise.all([
      t.session.markets(),
      t.session.markets(),
      t.session.warmUp(),
      t.session.markets(),
    ]);
    expect(marketLoads()).toBe(1);
    expect(results[0]).toBe(results[1]);
    await t.session.markets();
    expect(marketLoads()).toBe(1);
  });

  it('when markets are loaded, then they carry ccxt precision and limits, spot and linear swap alike', async () => {
    const markets = await t.session.markets();
    // The planning tests' BTC/USDT is this one, as ccxt really builds it, with the fees ccxt publishes for
    // Binance spot (0.1 %, taken from what the order gets); the planning fixture leaves fees unknown.
    expect(markets['BTC/USDT']).toEqual({ ...BINANCE_BTC_SPOT, taker: 0.001, maker: 0.001, feeSide: 'get' });
    expect(markets['BTC/USDT:USDT']).toMatchObject({
      type: 'swap',
      settle: 'USDT',
      linear: true,
      contractSize: 1,
      precision: { amount: 0.001, price: 0.1 },
      limits: { amount: { min: 0.001 }, cost: { min: 100 } },
      taker: 0.0005,
      maker: 0.0002,
    });
  });

  it('when a background refresh is slow, then callers are served the previous markets without waiting', async () => {
    await t.session.warmUp();
    t.fake.delay('exchangeInfo', 400);
    const refreshing = t.session.refreshMarkets();
    let refreshed = false;
    void refreshing.then(() => (refreshed = true));
    const markets = await t.session.markets();
    const order = await t.session.createOrder(intent('duringRefresh1', 'BTC/USDT', { amount: 0.001 }));
    // Served and traded while the refresh is still waiting for the exchange: nobody waited for it.
    expect(refreshed).toBe(false);
    expect(markets['BTC/USDT']).toBeDefined();
    expect(order.status).toBe('closed');
    await refreshing;
    expect(marketLoads()).toBe(2);
    expect(t.logs.map((l) => l.event)).toEqual(['markets_refreshed']);
  });

  it('when a background refresh fails, then the old markets stay and the failure is logged', async () => {
    const before = await t.session.markets();
    for (let i = 0; i < 3; i += 1) t.fake.failNext('exchangeInfo', { status: 503 });
    await t.session.refreshMarkets();
    expect(await t.session.markets()).toBe(before);
    expect(t.logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'markets_refresh_failed',
        error: expect.objectContaining({ code: 'exchange_unavailable', kind: 'transient' }),
      }),
    ]);
    expect(t.session.amountToPrecision('BTC/USDT', 0.0123456)).toBe(0.01234);
  });

  it('when the first load fails, then the next call loads again instead of failing forever', async () => {
    for (let i = 0; i < 3; i += 1) t.fake.failNext('exchangeInfo', { status: 503 });
    await expect(t.session.markets()).rejects.toMatchObject({ code: 'exchange_unavailable' });
    await expect(t.session.markets()).resolves.toHaveProperty(['BTC/USDT']);
    await expect(t.session.fetchPrice('BTC/USDT')).resolves.toBe(60000);
  });

  it('when refreshing is started, then it reloads on the interval until close()', async () => {
    await t.session.warmUp();
    t.session.startRefresh(50);
    await eventually(async () => (marketLoads() >= 3 ? true : undefined));
    await t.session.close(); // waits for a refresh in flight
    const loads = marketLoads();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(marketLoads()).toBe(loads);
  });

  it('when rounding to exchange rules, then ccxt truncates amounts to the step and rounds prices to the tick', async () => {
    await t.session.warmUp();
    expect(t.session.amountToPrecision('BTC/USDT:USDT', 0.0129)).toBe(0.012);
    expect(t.session.priceToPrecision('BTC/USDT:USDT', 60000.16)).toBe(60000.2);
    expect(() => t.session.amountToPrecision('BTC/USDT:USDT', 0.0004)).toThrow(
      expect.objectContaining({ code: 'invalid_order' }),
    );
    await expect(t.session.fetchPrice('NOPE/USDT')).rejects.toMatchObject({
      code: 'bad_symbol',
      kind: 'permanent',
    });
  });
});
