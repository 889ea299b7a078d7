import request from 'supertest';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, FakeBybit, makeCcxtAccount } from '../../support/fake-exchange';
import { paperWallet } from '../../support/paper-book';
import {
  type Engine,
  FAST_TUNING,
  clientIdOf,
  createOrdersFor,
  sentClientId,
  startEngine,
} from '../engine/behaviour/engine-harness';

/**
 * The panic button end to end: `POST /api/v1/accounts/:id/flatten` through the real web and worker, on the fake
 * Binance USDⓈ-M and Bybit (ccxt's real classes) and the offline paper exchange.
 */
describe('POST /api/v1/accounts/:id/flatten', () => {
  const usdm = new FakeBinance('binanceusdm');
  const bybit = new FakeBybit();
  let engine: Engine;
  let trader: string;

  beforeAll(async () => {
    engine = await startEngine(
      'flatten',
      [usdm, bybit],
      ([u, b]) => [
        { id: 'pp', exchange: 'paper', sandbox: false, paper: false, ccxt: {}, symbols: [] },
        makeCcxtAccount(u, { id: 'usdm', defaultType: 'swap' }),
        makeCcxtAccount(b, { id: 'by', defaultType: 'swap' }),
      ],
      { tuning: FAST_TUNING, env: { PAPER_BALANCES: 'USDT:10000' } },
    );
    trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader', { name: 'desk' })).key;
  });
  afterAll(() => engine.close());

  const flatten = async (account: string) => {
    const res = await request(engine.app.url)
      .post(`/api/v1/accounts/${account}/flatten`)
      .set('authorization', `Bearer ${trader}`)
      .expect(202);
    return res.body as { id: string; status: string; note: string };
  };

  /** Leaves a limit buy of 0.1 ETHUSDT at 2,500 resting (placed) on `account`. */
  const restingBuy = async (account: string) => {
    const rec = await engine.run({
      account,
      symbol: 'ETHUSDT',
      action: 'buy',
      type: 'limit',
      price: 2500,
      quantity: 0.1,
    });
    expect(rec.status).toBe('placed');
  };

  it('when a Binance USDⓈ-M account holds a short and resting orders, then they are canceled and the short is bought back reduce-only, once', async () => {
    usdm.state.prices = { ...usdm.state.prices, BTCUSDT: 60000, ETHUSDT: 3000 };
    usdm.state.positions = { BTCUSDT: { amount: -0.01, entryPrice: 61000 } };
    await restingBuy('usdm');

    const answer = await flatten('usdm');
    expect(answer).toEqual({
      id: expect.stringMatching(/^sig_/),
      status: 'queued',
      note: expect.stringMatching(/spot holdings are left alone/),
    });
    const rec = await engine.final(answer.id);

    expect(rec.status).toBe('filled');
    expect(rec.raw.action ?? JSON.parse(rec.raw.alert ?? '{}').action).toBe('flatten');
    const closes = createOrdersFor(usdm, answer.id);
    expect(closes).toHaveLength(1);
    expect(closes[0].params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      reduceOnly: 'true',
      newClientOrderId: clientIdOf(answer.id, 'fl0'),
    });
    expect(usdm.state.positions.BTCUSDT.amount).toBe(0);
    expect(usdm.state.openOrders('usdm', undefined)).toEqual([]);
    expect(rec.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^flatten: canceling 1 open order on ETH\/USDT:USDT/),
        'flatten: closing short 0.01 BTC/USDT:USDT reduce-only at market',
        'flatten: spot holdings are left alone',
      ]),
    );
  });

  it('when the close order’s answer is lost, then the order is looked up and adopted, never sent twice', async () => {
    usdm.state.positions = { BTCUSDT: { amount: 0.02, entryPrice: 59000 } };
    usdm.failNext('createOrder', { dropResponseAfterProcessing: true });

    const answer = await flatten('usdm');
    const rec = await engine.final(answer.id, 10_000);

    expect(rec.status).toBe('filled');
    const id = clientIdOf(answer.id, 'fl0');
    expect(usdm.state.orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
    expect(createOrdersFor(usdm, answer.id).map(sentClientId)).toEqual([id]);
    expect(usdm.state.positions.BTCUSDT.amount).toBe(0);
  });

  it('when a Bybit account holds a long and a resting order, then both are gone afterwards', async () => {
    bybit.state.positions = { BTCUSDT: { size: 0.02, avgPrice: 59000 } };
    await restingBuy('by');

    const rec = await engine.final((await flatten('by')).id, 15_000);

    expect(rec.status).toBe('filled');
    expect(createOrdersFor(bybit, rec.id)[0].params).toMatchObject({
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Sell',
      orderType: 'Market',
      qty: '0.02',
      reduceOnly: true,
    });
    expect(bybit.state.orders.filter((o) => o.orderStatus === 'New')).toEqual([]);
  });

  it('when a paused paper account holds a perp short, a resting order and spot BTC, then flatten still runs, closes the short and leaves the BTC', async () => {
    expect(
      (await engine.run({ account: 'pp', symbol: 'BTCUSDT', action: 'buy', quantity: 0.05, price: 60000 }))
        .status,
    ).toBe('filled');
    expect(
      (await engine.run({ account: 'pp', symbol: 'BTCUSDT.P', action: 'sell', quantity: 0.01, price: 60000 }))
        .status,
    ).toBe('filled');
    expect(
      (
        await engine.run({
          account: 'pp',
          symbol: 'ETH/USDT',
          action: 'buy',
          type: 'limit',
          price: 2000,
          quantity: 0.1,
        })
      ).status,
    ).toBe('placed');
    const btcBefore = (await paperWallet(engine.app.redis, engine.app.prefix, 'pp')).BTC;
    await request(engine.app.url)
      .post('/api/v1/accounts/pp/pause')
      .set('authorization', `Bearer ${trader}`)
      .expect(200);

    const rec = await engine.final((await flatten('pp')).id, 15_000);

    expect(rec.status).toBe('filled');
    expect(rec.orders).toEqual([
      expect.objectContaining({
        leg: 'fl0',
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        amount: 0.01,
        filled: 0.01,
      }),
    ]);
    const book = JSON.parse(
      (await engine.app.redis.hget(`${engine.app.prefix}:paper:pp:book`, 'book')) ?? '{}',
    );
    expect(Number(book.positions['BTC/USDT:USDT'].contracts)).toBe(0);
    expect(book.open).toEqual({});
    expect((await paperWallet(engine.app.redis, engine.app.prefix, 'pp')).BTC).toBe(btcBefore);
    expect(btcBefore).toBe('0.05');
  });

  it('when the account has nothing open, then the flatten ends done with notes saying so', async () => {
    usdm.state.positions = {};
    const rec = await engine.final((await flatten('usdm')).id, 15_000);
    expect(rec.status).toBe('done');
    // Recorded like any signal: the history API shows it.
    const detail = await request(engine.app.url)
      .get(`/api/v1/signals/${rec.id}`)
      .set('authorization', `Bearer ${trader}`)
      .expect(200);
    expect(detail.body).toMatchObject({
      id: rec.id,
      status: 'done',
      account: 'usdm',
      action: 'flatten',
      auth: 'api',
    });
    expect(rec.notes).toEqual(
      expect.arrayContaining(['flatten: no open orders', 'flatten: no derivatives position open']),
    );
  });

  it('when the account is unknown, then 404', async () => {
    const res = await request(engine.app.url)
      .post('/api/v1/accounts/nobody/flatten')
      .set('authorization', `Bearer ${trader}`)
      .expect(404);
    expect(res.body.error).toBe('not_found');
  });
});
