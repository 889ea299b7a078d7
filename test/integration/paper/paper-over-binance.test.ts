import { Redis } from 'ioredis';
import { type OrderIntent } from '../../../src/exchange/exchange-session';
import { PaperExchange } from '../../../src/exchange/paper/paper-exchange';
import { redisKeys } from '../../../src/redis/keys';
import { FakeBinance, type SessionUnderTest, startSession } from '../../support/fake-exchange';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * `paper: true`: a real ccxt session against the fake Binance supplies markets and tickers; the paper book in Redis
 * does the rest. The clock is injected, so the ticker's once-a-second reuse is tested without waiting.
 */
describe.each([
  ['binance', 'BTC/USDT'],
  ['binanceusdm', 'BTC/USDT:USDT'],
] as const)('paper over %s (%s)', (exchangeId, symbol) => {
  const prefix = uniquePrefix(`paper-${exchangeId}`);
  const redis = new Redis(REDIS_URL);
  let t: SessionUnderTest<FakeBinance>;
  let paper: PaperExchange;
  let clock: number;
  let n = 0;

  beforeEach(async () => {
    t = await startSession(new FakeBinance(exchangeId), { paper: true });
    await t.session.warmUp();
    clock = 1_700_000_000_000;
    n += 1;
    const keys = redisKeys(prefix);
    paper = new PaperExchange({
      accountId: `pp${n}`,
      redis,
      bookKey: keys.paperBook(`pp${n}`),
      ordersKey: keys.paperOrders(`pp${n}`),
      startingBalances: { USDT: 10000 },
      marketSource: t.session,
      now: () => clock,
    });
  });
  afterEach(() => t.close());
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  const intent = (fields: Partial<OrderIntent>): OrderIntent => ({
    leg: 'open',
    clientOrderId: `thpaper${exchangeId}${n}${fields.leg ?? 'open'}`,
    symbol,
    side: 'buy',
    type: 'market',
    amount: 0.01,
    ...fields,
  });
  const tickers = () => t.fake.requestsFor('ticker').length;
  const setPrice = (price: number) => (t.fake.state.prices.BTCUSDT = price);

  it("when a market buy is placed, then it fills at the exchange's ticker, not the alert's price, and nothing is sent", async () => {
    setPrice(61234.5);
    const order = await paper.createOrder(intent({ referencePrice: 60000 }));
    expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 61234.5 });
    expect(t.fake.requestsFor('createOrder')).toEqual([]);
    expect(t.fake.requests.filter((r) => r.params.signature !== undefined)).toEqual([]);
  });

  it("when its markets are read, then they carry the paper exchange's fee (0.1 % in the quote), not the exchange's", async () => {
    const markets = await paper.markets();
    expect(markets[symbol]).toMatchObject({ symbol, taker: 0.001, maker: 0.001, feeSide: 'quote' });
    expect((await t.session.markets())[symbol]).toMatchObject({ taker: expect.any(Number) });
    expect((await t.session.markets())[symbol]).not.toMatchObject({
      taker: 0.001,
      maker: 0.001,
      feeSide: 'quote',
    });
    // Mapped once per market map the source loads, not on every read.
    expect(await paper.markets()).toBe(markets);
  });

  it('when a limit rests and the ticker falls through it, then findOrder reports it filled at its limit', async () => {
    setPrice(60000);
    const limit = intent({ type: 'limit', price: 59000, referencePrice: 59000 });
    expect(await paper.createOrder(limit)).toMatchObject({ status: 'open' });
    expect(await paper.findOrder(symbol, limit.clientOrderId)).toMatchObject({ status: 'open' });

    setPrice(58500);
    clock += 1000;
    expect(await paper.findOrder(symbol, limit.clientOrderId)).toMatchObject({
      status: 'closed',
      filled: 0.01,
      average: 59000,
      fee: { cost: 0.59, currency: 'USDT' },
    });
    expect(t.fake.requestsFor('createOrder')).toEqual([]);
  });

  it('when an order is followed often, then the ticker is asked at most once a second per symbol', async () => {
    setPrice(60000);
    const limit = intent({ type: 'limit', price: 59000 });
    await paper.createOrder(limit);
    const before = tickers();
    await Promise.all([1, 2, 3].map(() => paper.findOrder(symbol, limit.clientOrderId)));
    clock += 999;
    setPrice(58000);
    // Within the second the cached price (60000) still stands: the order rests.
    expect(await paper.findOrder(symbol, limit.clientOrderId)).toMatchObject({ status: 'open' });
    expect(tickers()).toBe(before);
    clock += 1;
    expect(await paper.findOrder(symbol, limit.clientOrderId)).toMatchObject({ status: 'closed' });
    expect(tickers()).toBe(before + 1);
  });

  it('when an order has ended, then looking it up asks the exchange nothing', async () => {
    setPrice(60000);
    const market = intent({});
    await paper.createOrder(market);
    const before = t.fake.requests.length;
    clock += 60_000;
    expect(await paper.findOrder(symbol, market.clientOrderId)).toMatchObject({ status: 'closed' });
    expect(t.fake.requests.length).toBe(before);
  });
});

describe('paper perpetuals over binanceusdm', () => {
  const prefix = uniquePrefix('paper-usdm');
  const redis = new Redis(REDIS_URL);
  let t: SessionUnderTest<FakeBinance>;
  afterAll(async () => {
    await t.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when a short with leverage and a stop rests, then a ticker move through the stop closes it at the trigger', async () => {
    t = await startSession(new FakeBinance('binanceusdm'), { paper: true });
    const keys = redisKeys(prefix);
    let clock = 0;
    const paper = new PaperExchange({
      accountId: 'perp',
      redis,
      bookKey: keys.paperBook('perp'),
      ordersKey: keys.paperOrders('perp'),
      startingBalances: { USDT: 1000 },
      marketSource: t.session,
      now: () => clock,
    });
    const symbol = 'BTC/USDT:USDT';
    t.fake.state.prices.BTCUSDT = 60000;
    await paper.setMarginMode(symbol, 'isolated');
    await paper.setLeverage(symbol, 10);
    await paper.createOrder({
      leg: 'open',
      clientOrderId: 'thperpopen',
      symbol,
      side: 'sell',
      type: 'market',
      amount: 0.1,
    });
    const stop = {
      leg: 'sl',
      clientOrderId: 'thperpsl',
      symbol,
      side: 'buy' as const,
      type: 'stop_market' as const,
      amount: 0.1,
      triggerPrice: 61000,
      reduceOnly: true,
    };
    expect(await paper.createOrder(stop)).toMatchObject({ status: 'open', price: 61000 });
    expect(await paper.fetchPosition(symbol)).toEqual({
      symbol,
      contracts: -0.1,
      side: 'short',
      entryPrice: 60000,
    });
    expect((await paper.fetchBalance()).USDT).toEqual({ free: 394, used: 600, total: 994 });

    t.fake.state.prices.BTCUSDT = 61500;
    clock += 1000;
    expect(await paper.fetchPosition(symbol)).toEqual({ symbol, contracts: 0, side: 'flat' });
    expect(await paper.findOrder(symbol, 'thperpsl')).toMatchObject({ status: 'closed', average: 61000 });
    // 1000 - 6 (open fee) - 100 (0.1 × 1000 lost) - 6.1 (stop fee).
    expect((await paper.fetchBalance()).USDT).toEqual({ free: 887.9, used: 0, total: 887.9 });
    for (const operation of ['createOrder', 'setLeverage', 'setMarginMode', 'balance', 'positions']) {
      expect(t.fake.requestsFor(operation)).toEqual([]);
    }
  });
});
