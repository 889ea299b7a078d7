import type { Balances as CcxtBalances, MarketInterface, Position as CcxtPosition } from 'ccxt';
import { toBalances, toMarket, toNetPosition } from '../../../src/exchange/ccxt/ccxt-mappers';

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
    const market = {
      symbol: 'X/USDT',
      id: 'XUSDT',
      base: 'X',
      quote: 'USDT',
      type: 'spot',
      active: undefined,
      precision: { amount: 3, price: 2 },
      limits: { amount: { min: 0.001, max: undefined }, cost: { min: 5, max: undefined } },
    } as unknown as MarketInterface;
    expect(toMarket(market, 2)).toEqual({
      symbol: 'X/USDT',
      id: 'XUSDT',
      base: 'X',
      quote: 'USDT',
      type: 'spot',
      active: true,
      precision: { amount: 0.001, price: 0.01 },
      limits: { amount: { min: 0.001 }, cost: { min: 5 } },
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
});
