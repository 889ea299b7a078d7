import type { Balances as CcxtBalances, MarketInterface, Position as CcxtPosition } from 'ccxt';
import type { Order as CcxtOrder } from 'ccxt';
import * as ccxt from 'ccxt';
import {
  toBalances,
  toExchangeOrder,
  toMarket,
  toNetPosition,
} from '../../../src/exchange/ccxt/ccxt-mappers';

const position = (
  symbol: string,
  side: 'long' | 'short',
  contracts: number,
  entryPrice = 100,
): CcxtPosition => ({ symbol, side, contracts, entryPrice }) as CcxtPosition;

describe('ccxt mappers', () => {
  it.each([
    ['no positions', [], { contracts: 0, side: 'flat' }],
    ['an empty entry', [position('X/USDT:USDT', 'long', 0)], { contracts: 0, side: 'flat' }],
    ['a long', [position('X/USDT:USDT', 'long', 2)], { contracts: 2, side: 'long', entryPrice: 100 }],
    ['a short', [position('X/USDT:USDT', 'short', 3)], { contracts: -3, side: 'short', entryPrice: 100 }],
    [
      'hedge mode legs',
      [position('X/USDT:USDT', 'long', 1), position('X/USDT:USDT', 'short', 4, 90)],
      { contracts: -3, side: 'short', entryPrice: 90 },
    ],
    ['another symbol only', [position('Y/USDT:USDT', 'long', 5)], { contracts: 0, side: 'flat' }],
  ])('when ccxt reports %s, then the net position is signed', (_case, positions, expected) => {
    expect(toNetPosition('X/USDT:USDT', positions as CcxtPosition[])).toEqual({
      symbol: 'X/USDT:USDT',
      ...expected,
    });
  });

  it('when a market comes in DECIMAL_PLACES mode, then precision becomes a step size', () => {
    const names = { symbol: 'X/USDT', id: 'XUSDT', base: 'X', quote: 'USDT', type: 'spot' } as const;
    const market = {
      ...names,
      active: undefined,
      precision: { amount: 3, price: 2 },
      limits: { amount: { min: 0.001, max: undefined }, cost: { min: 5, max: undefined } },
    } as unknown as MarketInterface;
    expect(toMarket(market, 2)).toEqual({
      ...names,
      active: true,
      precision: { amount: 0.001, price: 0.01 },
      limits: { amount: { min: 0.001 }, cost: { min: 5 } },
    });
  });

  it.each([
    ['binance', { taker: 0.001, maker: 0.001, feeSide: 'get' }],
    ['kraken', { taker: 0.0026, maker: 0.0016 }],
  ] as const)(
    'when ccxt’s %s class lists a spot market, then its fee rates and fee side are kept',
    (id, fees) => {
      // ccxt merges the exchange's published fees into every market it sets: the real class, no network.
      const exchange = new ccxt[id]();
      exchange.setMarkets([
        {
          id: 'BTCUSDT',
          symbol: 'BTC/USDT',
          base: 'BTC',
          quote: 'USDT',
          type: 'spot',
          spot: true,
          precision: { amount: 0.00001, price: 0.01 },
          limits: {},
        },
      ]);
      const market = toMarket(exchange.market('BTC/USDT'), exchange.precisionMode ?? 4);
      expect(market).toMatchObject(fees);
      expect(market?.feeSide).toBe('feeSide' in fees ? fees.feeSide : undefined);
    },
  );

  it.each([
    ['flat fees (percentage: false)', { taker: 1, maker: 1, percentage: false }, {}],
    ['no fees at all', {}, {}],
    [
      'rates in strings, a fee side ccxt does not define',
      { taker: '0.0005', maker: '-0.0001', feeSide: 'x' },
      { taker: 0.0005, maker: -0.0001 },
    ],
    [
      'a rebate and a fee side',
      { taker: 0.0004, maker: -0.0001, feeSide: 'quote' },
      { taker: 0.0004, maker: -0.0001, feeSide: 'quote' },
    ],
  ])('when a market has %s, then only real rates and known fee sides are kept', (_case, fees, expected) => {
    const market = {
      symbol: 'X/USDT',
      id: 'XUSDT',
      base: 'X',
      quote: 'USDT',
      type: 'spot',
      precision: {},
      limits: {},
      ...fees,
    } as unknown as MarketInterface;
    const mapped = toMarket(market, 4);
    expect({ taker: mapped?.taker, maker: mapped?.maker, feeSide: mapped?.feeSide }).toEqual({
      taker: undefined,
      maker: undefined,
      feeSide: undefined,
      ...expected,
    });
  });

  it('when a market is of a type planning does not trade, then it is left out', () => {
    expect(toMarket({ symbol: 'X/USDT', type: 'margin' } as unknown as MarketInterface, 4)).toBeUndefined();
  });

  it('when ccxt reports balances, then each asset keeps free/used/total and empty ones are dropped', () => {
    const balance = {
      info: {},
      timestamp: 1,
      datetime: 'x',
      free: {},
      used: {},
      total: {},
      USDT: { free: 90, used: 10, total: 100 },
      DUST: { free: 0, used: 0, total: 0 },
      BTC: { free: 1, used: undefined, total: undefined },
    } as unknown as CcxtBalances;
    expect(toBalances(balance)).toEqual({
      USDT: { free: 90, used: 10, total: 100 },
      BTC: { free: 1, used: 0, total: 1 },
    });
  });

  it('when a contract market comes in TICK_SIZE mode, then steps pass unchanged and contract fields are kept', () => {
    // What ccxt reports and the mapping keeps as it is.
    const kept = {
      symbol: 'BTC/USD:BTC',
      id: 'BTCUSD_PERP',
      base: 'BTC',
      quote: 'USD',
      settle: 'BTC',
      type: 'swap',
      linear: false,
      contractSize: 100,
      active: false,
      precision: { amount: 1, price: 0.1 },
    } as const;
    const market = {
      ...kept,
      contract: true,
      limits: { amount: { min: '1', max: null }, cost: undefined, price: { min: 1000, max: 4520958 } },
    } as unknown as MarketInterface;
    expect(toMarket(market, 4)).toEqual({
      ...kept,
      limits: { amount: { min: 1 }, price: { min: 1000, max: 4520958 } },
    });
  });

  it('when precision is in SIGNIFICANT_DIGITS mode or absent, then no step is claimed (the session rounds with ccxt)', () => {
    const market = {
      symbol: 'X/USDT',
      type: 'spot',
      base: 'X',
      quote: 'USDT',
      precision: { amount: 4, price: undefined },
      limits: { amount: { min: 'not a number' } },
    } as unknown as MarketInterface;
    expect(toMarket(market, 3)).toMatchObject({ id: 'X/USDT', precision: {}, limits: {} });
  });

  it('when an order answer is terse, then the fallback fills the gaps, numbers in strings included', () => {
    const terse = {
      id: undefined,
      status: undefined,
      filled: '0.5',
      fee: { cost: 0.1 },
    } as unknown as CcxtOrder;
    expect(
      toExchangeOrder(terse, {
        id: '42',
        clientOrderId: 'th1',
        symbol: 'BTC/USDT',
        side: 'sell',
        amount: 1,
        price: 10,
      }),
    ).toEqual({
      id: '42',
      clientOrderId: 'th1',
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'unknown',
      amount: 1,
      price: 10,
      filled: 0.5,
      status: 'open',
    });
  });

  it('when an order answer is complete, then it wins over the fallback and keeps its fee', () => {
    const answer = {
      clientOrderId: 'th2',
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      amount: 2,
      price: 3000,
      filled: 2,
      average: 2999.5,
      cost: 5999,
      fee: { cost: 6, currency: 'USDT' },
      status: 'closed',
    } as const;
    const order = { ...answer, id: 7 } as unknown as CcxtOrder;
    expect(toExchangeOrder(order, { symbol: 'other', amount: 9 })).toEqual({ ...answer, id: '7' });
  });

  it('when nothing at all is known about an order, then it is an open buy of 0 (never a crash)', () => {
    expect(toExchangeOrder({} as CcxtOrder)).toEqual({
      id: '',
      symbol: '',
      side: 'buy',
      type: 'unknown',
      amount: 0,
      filled: 0,
      status: 'open',
    });
  });

  it('when a balance entry has only a total, or is not an object, then it is read or skipped', () => {
    const balance = {
      USDT: { free: undefined, used: undefined, total: '50' },
      WEIRD: 5,
      NULL: null,
    } as unknown as CcxtBalances;
    expect(toBalances(balance)).toEqual({ USDT: { free: 0, used: 0, total: 50 } });
  });
});
