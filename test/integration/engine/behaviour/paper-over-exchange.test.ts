import { dec } from '../../../../src/exchange/paper/decimal';
import { FakeBinance, makeCcxtAccount } from '../../../support/fake-exchange';
import { paperWallet } from '../../../support/paper-book';
import { type Engine, clientIdOf, startEngine } from './engine-harness';

/**
 * `paper: true`: the fake Binance supplies markets and last prices; fills and balances are simulated in Redis
 * (PAPER_BALANCES), and no order ever reaches the exchange.
 */
describe('engine on a paper account over Binance spot', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine(
      'bh-paper',
      [fake],
      ([f]) => [makeCcxtAccount(f, { id: 'pp', defaultType: 'spot', paper: true })],
      { env: { PAPER_BALANCES: 'USDT:10000' } },
    );
  });
  afterAll(() => engine.close());
  // Each test starts from the configured PAPER_BALANCES, whatever ran before it.
  beforeEach(async () => {
    await engine.app.redis.del(
      `${engine.app.prefix}:paper:pp:balances`,
      `${engine.app.prefix}:paper:pp:orders`,
    );
    fake.state.prices.BTCUSDT = 60000;
  });

  /** The simulated wallet as exact decimals (the starting balance before the first trade). */
  const balances = async () => {
    const wallet = await paperWallet(engine.app.redis, engine.app.prefix, 'pp');
    return { USDT: dec(wallet.USDT ?? '10000'), BTC: dec(wallet.BTC ?? '0') };
  };

  it("when a market buy arrives, then it fills at the exchange's last price and the exchange receives no order", async () => {
    fake.state.prices.BTCUSDT = 61234.5;
    const realBalances = structuredClone(fake.state.spotBalances);
    const before = await balances();

    // The alert's {{close}} is only a reference: a market order fills at the exchange's live price.
    const rec = await engine.run({
      symbol: 'BINANCE:BTCUSDT',
      action: 'buy',
      quantity: '0.01',
      price: '60000',
    });

    expect(rec.status).toBe('filled');
    expect(rec.orders).toEqual([
      expect.objectContaining({
        clientOrderId: clientIdOf(rec.id, 'open'),
        symbol: 'BTC/USDT',
        side: 'buy',
        amount: 0.01,
        filled: 0.01,
        average: 61234.5,
        status: 'closed',
      }),
    ]);
    // 0.01 × 61234.5 = 612.345 USDT plus the 0.1 % fee, out of the simulated balance: exactly.
    const after = await balances();
    expect(after.BTC.minus(before.BTC).toFixed()).toBe('0.01');
    expect(before.USDT.minus(after.USDT).toFixed()).toBe('612.957345');

    expect(fake.requestsFor('createOrder')).toEqual([]);
    // Not even a signed (private) request: the paper account reads only public market data.
    expect(fake.requests.filter((r) => r.params.signature !== undefined)).toEqual([]);
    expect(fake.requestsFor('ticker').length).toBeGreaterThan(0);
    expect(fake.state.orders).toEqual([]);
    expect(fake.state.spotBalances).toEqual(realBalances);
  });

  it("when close arrives, then the simulated holding is sold, not the exchange account's real balance", async () => {
    const bought = await engine.run({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.02 });
    expect(bought.status).toBe('filled');
    const held = (await balances()).BTC.toNumber();
    expect(held).toBeGreaterThanOrEqual(0.02);
    fake.state.prices.BTCUSDT = 62000;

    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'close' });

    expect(rec.status).toBe('filled');
    // The fake account really holds 0.5 BTC; only the simulated holding is sold.
    expect(rec.orders).toEqual([
      expect.objectContaining({
        side: 'sell',
        amount: expect.closeTo(held, 8),
        average: 62000,
        status: 'closed',
      }),
    ]);
    expect((await balances()).BTC.toFixed()).toBe('0');
    expect(fake.requestsFor('createOrder')).toEqual([]);
    expect(fake.state.spotBalances.BTC.free).toBe(0.5);
  });
});
