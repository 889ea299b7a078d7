import { type AccountConfig } from '../../../../src/config/accounts';
import { PaperExchange } from '../../../../src/exchange/paper/paper-exchange';
import { redisKeys } from '../../../../src/redis/keys';
import { readPaperBook } from '../../../support/paper-book';
import { eventually } from '../../../support/test-app';
import { type Engine, clientIdOf, startEngine } from './engine-harness';

/** One offline paper account per test, so that the tests pass in any order. */
const ACCOUNTS = ['spot', 'cancel', 'perp', 'exits', 'margin'] as const;
type AccountId = (typeof ACCOUNTS)[number];
const paperAccount = (id: string): AccountConfig => ({
  id,
  exchange: 'paper',
  sandbox: false,
  paper: false,
  ccxt: {},
  symbols: [],
});

/**
 * The offline paper exchange through the real web and worker: prices come from the alerts, limits rest until a
 * later alert's price crosses them, and perpetuals run the same plans as Binance or Bybit.
 */
describe('engine on the offline paper exchange', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-paper-offline', [], () => ACCOUNTS.map(paperAccount), {
      env: { PAPER_BALANCES: 'USDT:10000' },
    });
  });
  afterAll(() => engine.close());

  /** A second session on the account's keys: what another worker process (or the order follower) sees. */
  const sessionOf = (account: AccountId) => {
    const keys = redisKeys(engine.app.prefix);
    return new PaperExchange({
      accountId: account,
      redis: engine.app.redis,
      bookKey: keys.paperBook(account),
      ordersKey: keys.paperOrders(account),
      startingBalances: { USDT: 10000 },
    });
  };
  const book = async (account: AccountId) =>
    (await readPaperBook(engine.app.redis, engine.app.prefix, account))!;
  const position = async (account: AccountId, symbol: string) => (await book(account)).positions[symbol];

  it('when a limit buy is below the price, then it rests (placed) and a later alert at a lower price fills it', async () => {
    const account = 'spot';
    const session = sessionOf(account);
    expect(
      (await engine.run({ account, symbol: 'BTCUSDT', action: 'buy', quantity: 0.01, price: 65000 })).status,
    ).toBe('filled');
    const limit = await engine.run({
      account,
      symbol: 'BTCUSDT',
      action: 'buy',
      type: 'limit',
      quantity: 0.01,
      price: 64000,
    });
    expect(limit.status).toBe('placed');
    expect(limit.orders).toEqual([expect.objectContaining({ status: 'open', filled: 0, price: 64000 })]);
    const limitId = clientIdOf(limit.id, 'open');
    expect(await session.findOrder('BTC/USDT', limitId)).toMatchObject({ status: 'open' });

    // A later alert's price is the market's: it crosses the resting buy before its own order fills.
    const later = await engine.run({
      account,
      symbol: 'BINANCE:BTCUSDT',
      action: 'sell',
      quantity: 0.005,
      price: 63500,
    });
    expect(later.status).toBe('filled');

    expect(await session.findOrder('BTC/USDT', limitId)).toMatchObject({
      status: 'closed',
      filled: 0.01,
      average: 64000,
    });
    const fill = engine.app.logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.message === 'paper order filled' && l.clientOrderId === limitId);
    expect(fill).toMatchObject({ account, symbol: 'BTC/USDT', filled: 0.01, average: 64000 });
    // 10000 - 650.65 (first buy) - 640.64 (the limit) + 317.5 - 0.3175 (the sale).
    expect((await book(account)).wallet).toEqual({ USDT: '9025.8925', BTC: '0.015' });
    // The order follower sees the fill: the limit's own record turns filled with the real fill and fee.
    const followed = await eventually(async () => {
      const rec = await engine.final(limit.id);
      return rec.status === 'filled' ? rec : undefined;
    }, 15_000);
    expect(followed.orders).toEqual([
      expect.objectContaining({
        status: 'closed',
        filled: 0.01,
        average: 64000,
        fee: { cost: 0.64, currency: 'USDT' },
      }),
    ]);
  });

  it('when a cancel arrives, then the resting limit is canceled and its funds come back', async () => {
    const account = 'cancel';
    const session = sessionOf(account);
    const limit = await engine.run({
      account,
      symbol: 'ETHUSDT',
      action: 'buy',
      type: 'limit',
      quantity: 1,
      price: 2000,
    });
    expect(limit.status).toBe('placed');
    expect((await session.fetchBalance()).USDT.used).toBe(2002);
    await engine.run({ account, symbol: 'ETHUSDT', action: 'cancel' });
    expect(await session.findOrder('ETH/USDT', clientIdOf(limit.id, 'open'))).toMatchObject({
      status: 'canceled',
    });
    expect((await session.fetchBalance()).USDT.used).toBe(0);
    // The follower sees the cancel: the limit's own record turns canceled, nothing filled.
    const followed = await eventually(async () => {
      const rec = await engine.final(limit.id);
      return rec.status === 'canceled' ? rec : undefined;
    }, 15_000);
    expect(followed.orders).toEqual([expect.objectContaining({ status: 'canceled', filled: 0 })]);
  });

  it('when a strategy goes short on BTCUSDT.P and then follows its position size, then the paper positions follow', async () => {
    const account = 'perp';
    const perp = 'BTC/USDT:USDT';
    const short = await engine.run({
      account,
      symbol: 'BYBIT:BTCUSDT.P',
      action: 'short',
      quantity: 0.1,
      price: 60000,
      leverage: 5,
    });
    expect(short.status).toBe('filled');
    expect(short.orders).toEqual([
      expect.objectContaining({ symbol: 'BTC/USDT:USDT', side: 'sell', filled: 0.1 }),
    ]);
    expect(await position(account, perp)).toEqual({
      contracts: '-0.1',
      entryPrice: '60000',
      margin: '1200',
      realisedPnl: '0',
    });
    expect((await book(account)).settings[perp]).toEqual({ leverage: 5, marginMode: 'cross' });

    // {{strategy.position_size}} of +0.05: close the short whole (reduce-only), then open the long.
    const flip = await engine.run({
      account,
      symbol: 'BTCUSDT.P',
      action: 'buy',
      positionSize: 0.05,
      price: 59000,
    });
    expect(flip.status).toBe('filled');
    expect(flip.orders.map((o) => [o.leg, o.side, o.filled])).toEqual([
      ['close', 'buy', 0.1],
      ['open', 'buy', 0.05],
    ]);
    expect(await position(account, perp)).toEqual({
      contracts: '0.05',
      entryPrice: '59000',
      margin: '590',
      realisedPnl: '100',
    });

    // The same target again: nothing to trade.
    const repeat = await engine.run({
      account,
      symbol: 'BTCUSDT.P',
      action: 'buy',
      positionSize: 0.05,
      price: 59500,
    });
    expect(repeat.orders).toEqual([]);
    expect(repeat.notes).toEqual(['already at the target position 0.05 contracts (0.05 BTC)']);

    // close needs no price: the last alert price (59500) values the reduce-only market order.
    const close = await engine.run({ account, symbol: 'BTCUSDT.P', action: 'close' });
    expect(close.orders).toEqual([expect.objectContaining({ side: 'sell', filled: 0.05, average: 59500 })]);
    expect(await position(account, perp)).toMatchObject({ contracts: '0', realisedPnl: '125' });
  });

  it('when a long carries take-profit and stop-loss, then they rest and a later price through the stop closes it', async () => {
    const account = 'exits';
    const session = sessionOf(account);
    const entry = await engine.run({
      account,
      symbol: 'ETHUSDT.P',
      action: 'long',
      quantity: 1,
      price: 3000,
      takeProfit: { percent: 10 },
      stopLoss: { percent: 5 },
    });
    // The entry filled; its resting exits are followed but do not make the signal `placed`.
    expect(entry.status).toBe('filled');
    expect(entry.orders.map((o) => [o.leg, o.type, o.status, o.price])).toEqual([
      ['open', 'market', 'closed', 3000],
      ['tp', 'take_profit_market', 'open', 3300],
      ['sl', 'stop_market', 'open', 2850],
    ]);

    // The strategy's exit arrives after the market fell through the stop: the stop filled first, at 2850.
    const exit = await engine.run({ account, symbol: 'ETHUSDT.P', action: 'close', price: 2800 });
    expect(exit.orders).toEqual([]);
    expect(exit.notes).toEqual(['no position to close']);
    expect(await session.findOrder('ETH/USDT:USDT', clientIdOf(entry.id, 'sl'))).toMatchObject({
      status: 'closed',
      average: 2850,
    });
    expect(await session.findOrder('ETH/USDT:USDT', clientIdOf(entry.id, 'tp'))).toMatchObject({
      status: 'canceled',
    });
    expect(await position(account, 'ETH/USDT:USDT')).toMatchObject({ contracts: '0', realisedPnl: '-150' });
  });

  it('when a perpetual order needs more margin than is free, then the signal fails with the numbers', async () => {
    const rec = await engine.run({
      account: 'margin',
      symbol: 'SOLUSDT.P',
      action: 'long',
      quantity: 1000,
      price: 150,
      leverage: 10,
    });
    expect(rec.status).toBe('failed');
    expect(rec.error).toEqual({
      code: 'insufficient_funds',
      message: 'paper margin too low: 10000 USDT free, order needs 15150 USDT at 10x (fee included)',
    });
  });
});
