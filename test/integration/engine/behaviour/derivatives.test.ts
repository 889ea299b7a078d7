import type { AccountConfig } from '../../../../src/config/accounts';
import {
  FakeBinance,
  FakeBybit,
  type FakeExchangeServer,
  type RecordedRequest,
  makeCcxtAccount,
} from '../../../support/fake-exchange';
import { type Engine, clientIdOf, createOrdersFor, sentClientId, startEngine } from './engine-harness';

/** One derivatives venue as these tests see it: its fake, its position, and its order requests normalised. */
interface Venue<F extends FakeExchangeServer = FakeExchangeServer> {
  name: string;
  fake: F;
  accounts(fake: F): AccountConfig[];
  /** Signed BTCUSDT position on the fake. */
  position(): number;
  setPosition(contracts: number): void;
  /** A createOrder request in one vocabulary: side buy/sell, type market/limit, qty as a number. */
  view(req: RecordedRequest): {
    symbol: string;
    side: string;
    type: string;
    qty: number;
    reduceOnly: boolean;
  };
  /** Margin mode of BTCUSDT as the fake holds it, in tradehook's words. */
  marginMode(): 'isolated' | 'cross';
  leverage(): number;
}

const binanceUsdm = (): Venue<FakeBinance> => {
  const fake = new FakeBinance('binanceusdm');
  return {
    name: 'Binance USDⓈ-M (binanceusdm)',
    fake,
    accounts: (f) => [
      makeCcxtAccount(f, { id: 'bn', defaultType: 'swap' }),
      // No defaultType: the exchange class's own (binanceusdm: swap) must apply.
      makeCcxtAccount(f, { id: 'bnauto', defaultType: undefined }),
    ],
    position: () => fake.state.positions.BTCUSDT?.amount ?? 0,
    setPosition: (amount) => {
      fake.state.positions.BTCUSDT = { amount, entryPrice: amount === 0 ? 0 : 60000 };
    },
    view: (r) => ({
      symbol: String(r.params.symbol),
      side: String(r.params.side).toLowerCase(),
      type: String(r.params.type).toLowerCase(),
      qty: Number(r.params.quantity),
      reduceOnly: r.params.reduceOnly === 'true',
    }),
    marginMode: () => (fake.state.marginType.BTCUSDT === 'ISOLATED' ? 'isolated' : 'cross'),
    leverage: () => fake.state.leverage.BTCUSDT,
  };
};

const bybitLinear = (): Venue<FakeBybit> => {
  const fake = new FakeBybit();
  return {
    name: 'Bybit linear',
    fake,
    accounts: (f) => [makeCcxtAccount(f, { id: 'by', defaultType: 'swap' })],
    position: () => fake.state.positions.BTCUSDT?.size ?? 0,
    setPosition: (size) => {
      fake.state.positions.BTCUSDT = { size, avgPrice: size === 0 ? 0 : 60000 };
    },
    view: (r) => ({
      symbol: String(r.params.symbol),
      side: String(r.params.side).toLowerCase(),
      type: String(r.params.orderType).toLowerCase(),
      qty: Number(r.params.qty),
      reduceOnly: r.params.reduceOnly === true || r.params.reduceOnly === 'true',
    }),
    marginMode: () => (fake.state.marginMode === 'ISOLATED_MARGIN' ? 'isolated' : 'cross'),
    leverage: () => fake.state.leverage.BTCUSDT,
  };
};

describe.each([
  ['binanceusdm', binanceUsdm],
  ['bybit', bybitLinear],
] as const)('engine on derivatives (%s)', (_id, makeVenue) => {
  const venue = makeVenue() as Venue;
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine(`bh-deriv-${_id}`, [venue.fake], ([f]) => venue.accounts(f as never));
  });
  afterAll(() => engine.close());
  beforeEach(() => venue.setPosition(0));

  const sent = (signalId: string) => createOrdersFor(venue.fake, signalId);
  const views = (signalId: string) => sent(signalId).map(venue.view);
  const clientIds = (signalId: string) =>
    sent(signalId).map((r) => String(r.params.newClientOrderId ?? r.params.orderLinkId));

  it(`when long arrives while flat on ${venue.name}, then one market buy opens the position`, async () => {
    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'long', quantity: '0.01' });

    expect(rec.status).toBe('filled');
    expect(views(rec.id)).toEqual([
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.01, reduceOnly: false },
    ]);
    expect(clientIds(rec.id)).toEqual([clientIdOf(rec.id, 'open')]);
    expect(rec.orders).toEqual([
      expect.objectContaining({ leg: 'open', symbol: 'BTC/USDT:USDT', side: 'buy', amount: 0.01 }),
    ]);
    expect(venue.position()).toBeCloseTo(0.01, 10);
  });

  it('when short arrives while long, then a reduce-only close leg precedes the opening leg', async () => {
    venue.setPosition(0.01);
    const rec = await engine.run({ symbol: 'BTCUSDT.P', action: 'short', quantity: 0.02 });

    expect(rec.status).toBe('filled');
    expect(views(rec.id)).toEqual([
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.01, reduceOnly: true },
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.02, reduceOnly: false },
    ]);
    expect(clientIds(rec.id)).toEqual([clientIdOf(rec.id, 'close'), clientIdOf(rec.id, 'open')]);
    expect(rec.orders.map((o) => [o.leg, o.clientOrderId])).toEqual([
      ['close', clientIdOf(rec.id, 'close')],
      ['open', clientIdOf(rec.id, 'open')],
    ]);
    expect(venue.position()).toBeCloseTo(-0.02, 10);
  });

  it('when close arrives, then the whole position is closed by one reduce-only market order', async () => {
    venue.setPosition(-0.013);
    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'close' });

    expect(rec.status).toBe('filled');
    expect(views(rec.id)).toEqual([
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.013, reduceOnly: true },
    ]);
    expect(clientIds(rec.id)).toEqual([clientIdOf(rec.id, 'close')]);
    expect(venue.position()).toBe(0);
  });

  it('when positionSize repeats a target already reached, then nothing is placed and a note says why; a new target across zero flips', async () => {
    const first = await engine.run({ symbol: 'BTCUSDT', action: 'buy', positionSize: '0.01' });
    expect(first.status).toBe('filled');
    expect(views(first.id)).toEqual([
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.01, reduceOnly: false },
    ]);

    const again = await engine.run({ symbol: 'BTCUSDT', action: 'buy', positionSize: '0.01' });
    expect(again.status).toBe('done');
    expect(again.orders).toEqual([]);
    expect(again.notes).toEqual([expect.stringContaining('already at the target position 0.01')]);
    expect(sent(again.id)).toEqual([]);
    expect(venue.position()).toBeCloseTo(0.01, 10);

    const flip = await engine.run({ symbol: 'BTCUSDT', action: 'sell', positionSize: '-0.005' });
    expect(flip.status).toBe('filled');
    expect(views(flip.id)).toEqual([
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.01, reduceOnly: true },
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.005, reduceOnly: false },
    ]);
    expect(venue.position()).toBeCloseTo(-0.005, 10);
  });

  it('when leverage and marginMode come with an entry, then both are set before the order, and "already set" answers are fine', async () => {
    const mark = venue.fake.requests.length;
    const rec = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      quantity: 0.01,
      leverage: 5,
      marginMode: 'isolated',
    });

    expect(rec.status).toBe('filled');
    const sequence = venue.fake.requests
      .slice(mark)
      .map((r) => r.operation)
      .filter((op) => ['setMarginMode', 'setLeverage', 'createOrder'].includes(op));
    expect(sequence).toEqual(['setMarginMode', 'setLeverage', 'createOrder']);
    expect(venue.marginMode()).toBe('isolated');
    expect(venue.leverage()).toBe(5);

    // The same settings again: Binance answers -4046 "No need to change margin type.", Bybit 110043 "Set
    // leverage not modified" (see the fakes); both mean success.
    venue.setPosition(0);
    const markAgain = venue.fake.requests.length;
    const again = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      quantity: 0.01,
      leverage: 5,
      marginMode: 'isolated',
    });
    expect(again.status).toBe('filled');
    expect(again.error).toBeUndefined();
    expect(
      venue.fake.requests
        .slice(markAgain)
        .map((r) => r.operation)
        .filter((op) => ['setMarginMode', 'setLeverage', 'createOrder'].includes(op)),
    ).toEqual(['setMarginMode', 'setLeverage', 'createOrder']);
    expect(views(again.id)).toHaveLength(1);
  });

  it('when the run is over, then the fake saw no request it could not route', () => {
    expect(venue.fake.unhandled).toEqual([]);
  });
});

describe('engine on Binance USDⓈ-M: defaults and exits', () => {
  const venue = binanceUsdm();
  const fake = venue.fake;
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-deriv-bn-exits', [fake], ([f]) => venue.accounts(f as FakeBinance));
  });
  afterAll(() => engine.close());
  beforeEach(() => venue.setPosition(0));

  // Regression guard: src/exchange/ccxt/create-ccxt-exchange.ts sets `exchange.options.defaultType =
  // account.defaultType` even when the account gives none (the field became optional), overwriting
  // binanceusdm's own `swap` with `undefined`; CcxtSession then reads `undefined ?? 'spot'` and BTCUSDT
  // resolves to a spot market that the futures class does not list → rejected `unknown_symbol`.
  it('when a binanceusdm account sets no defaultType, then BTCUSDT is the perpetual and trades', async () => {
    const rec = await engine.run({ account: 'bnauto', symbol: 'BTCUSDT', action: 'long', quantity: 0.01 });

    expect(rec.error).toBeUndefined();
    expect(rec.status).toBe('filled');
    expect(createOrdersFor(fake, rec.id).map((r) => r.path)).toEqual(['/fapi/v1/order']);
    expect(rec.orders[0].symbol).toBe('BTC/USDT:USDT');
  });

  it('when a long carries takeProfit/stopLoss on Binance (no attached TP/SL), then they follow as separate reduce-only trigger orders', async () => {
    const rec = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      quantity: 0.01,
      takeProfit: { percent: 5 },
      stopLoss: { price: '58800' },
    });

    // The entry filled; the exits rest on the exchange (the order watch follows them) but, being exits,
    // do not decide the status: the same alert on Bybit (exits attached) is `filled` too.
    expect(rec.status).toBe('filled');
    const sent = createOrdersFor(fake, rec.id);
    expect(sent.map((r) => r.path)).toEqual(['/fapi/v1/order', '/fapi/v1/algoOrder', '/fapi/v1/algoOrder']);
    expect(sent[0].params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      newClientOrderId: clientIdOf(rec.id, 'open'),
    });
    // Nothing attached to the entry: Binance cannot.
    expect(Object.keys(sent[0].params).filter((k) => /takeProfit|stopLoss|triggerPrice/i.test(k))).toEqual(
      [],
    );
    expect(sent[1].params).toMatchObject({
      algoType: 'CONDITIONAL',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'TAKE_PROFIT_MARKET',
      quantity: '0.01',
      reduceOnly: 'true',
      triggerPrice: '63000',
      clientAlgoId: clientIdOf(rec.id, 'tp'),
    });
    expect(sent[2].params).toMatchObject({
      algoType: 'CONDITIONAL',
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '0.01',
      reduceOnly: 'true',
      triggerPrice: '58800',
      clientAlgoId: clientIdOf(rec.id, 'sl'),
    });
    expect(rec.orders.map((o) => [o.leg, o.status])).toEqual([
      ['open', 'closed'],
      ['tp', 'open'],
      ['sl', 'open'],
    ]);
  });

  it('when the take-profit order meets a 503 after the entry filled, then only the take-profit is sent again', async () => {
    // The entry goes through; the first take-profit attempt answers 503 (the fake does not place it).
    fake.failNext('createOrder', { delayMs: 0 }).failNext('createOrder', { status: 503 });

    const rec = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      quantity: 0.01,
      price: 60000,
      takeProfit: { price: 66000 },
    });

    expect(rec.status).toBe('filled');
    expect(createOrdersFor(fake, rec.id).map((r) => sentClientId(r))).toEqual([
      clientIdOf(rec.id, 'open'),
      clientIdOf(rec.id, 'tp'),
      clientIdOf(rec.id, 'tp'),
    ]);
    const stored = fake.state.orders.filter((o) => o.clientOrderId.startsWith(clientIdOf(rec.id, '')));
    expect(stored.map((o) => [o.type, o.status])).toEqual([
      ['MARKET', 'FILLED'],
      ['TAKE_PROFIT_MARKET', 'NEW'],
    ]);
    expect(venue.position()).toBeCloseTo(0.01, 10);
  });

  it('when cancel arrives, then open orders in both books (regular and algo/conditional) are canceled', async () => {
    const resting = await engine.run({
      symbol: 'BTCUSDT',
      action: 'buy',
      type: 'limit',
      price: 50000,
      quantity: 0.01,
    });
    const protectedEntry = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      quantity: 0.01,
      stopLoss: { percent: 3 },
    });
    expect([resting.status, protectedEntry.status]).toEqual(['placed', 'filled']);
    expect(fake.state.openOrders('usdm', 'BTCUSDT').length).toBeGreaterThan(0);
    expect(fake.state.openOrders('usdm', 'BTCUSDT', true).length).toBeGreaterThan(0);

    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'cancel' });

    expect(rec.status).toBe('done');
    expect(rec.notes).toEqual([expect.stringMatching(/^cancel: \d+ open orders canceled on BTC\/USDT:USDT/)]);
    expect(createOrdersFor(fake, rec.id)).toEqual([]);
    expect(fake.state.openOrders('usdm', 'BTCUSDT')).toEqual([]);
    expect(fake.state.openOrders('usdm', 'BTCUSDT', true)).toEqual([]);
    // The position itself is left alone: cancel is not close.
    expect(venue.position()).toBeCloseTo(0.01, 10);
  });

  // Regression guard: src/exchange/ccxt/order-request.ts passes the alert's `timeInForce` next to `postOnly`,
  // and ccxt's binanceusdm lets an explicit timeInForce win over postOnly: the order goes out as a plain GTC
  // limit that may take liquidity (Bybit is unaffected: ccxt sends PostOnly there).
  it('when a post-only limit also names timeInForce GTC, then it is still sent post-only (GTX)', async () => {
    const rec = await engine.run({
      symbol: 'BTCUSDT',
      action: 'long',
      type: 'limit',
      price: 55000,
      quantity: 0.01,
      postOnly: true,
      timeInForce: 'GTC',
    });

    expect(rec.status).toBe('placed');
    expect(createOrdersFor(fake, rec.id)[0].params).toMatchObject({ type: 'LIMIT', timeInForce: 'GTX' });
  });
});

describe('engine on Bybit linear: attached exits', () => {
  const venue = bybitLinear();
  const fake = venue.fake;
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-deriv-by-exits', [fake], ([f]) => venue.accounts(f as FakeBybit));
  });
  afterAll(() => engine.close());
  beforeEach(() => venue.setPosition(0));

  it('when a short carries takeProfit/stopLoss on Bybit (attached TP/SL), then they ride on the entry order itself', async () => {
    const rec = await engine.run({
      symbol: 'BYBIT:BTCUSDT.P',
      action: 'short',
      quantity: 0.01,
      price: 60000,
      takeProfit: { percent: 10 },
      stopLoss: { percent: 2.5 },
    });

    expect(rec.status).toBe('filled');
    const sent = createOrdersFor(fake, rec.id);
    expect(sent).toHaveLength(1);
    expect(sent[0].params).toMatchObject({
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Sell',
      orderType: 'Market',
      qty: '0.01',
      orderLinkId: clientIdOf(rec.id, 'open'),
      takeProfit: '54000',
      stopLoss: '61500',
    });
    expect(rec.orders).toEqual([expect.objectContaining({ leg: 'open', side: 'sell', amount: 0.01 })]);
    expect(venue.position()).toBeCloseTo(-0.01, 10);
  });
});
