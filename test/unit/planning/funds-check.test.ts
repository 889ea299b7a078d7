import { type Market, type OrderIntent } from '../../../src/exchange/exchange-session';
import { fundsShortfall } from '../../../src/execution/planning/funds-check';
import { BINANCE_BTC_SPOT, BINANCE_BTC_USDM } from './fixtures';

const order = (over: Partial<OrderIntent>): OrderIntent => ({
  leg: 'open',
  clientOrderId: 'thx',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: 0.1,
  ...over,
});
const wallet = (usdt: number, btc = 0) => ({
  USDT: { free: usdt, used: 0, total: usdt },
  BTC: { free: btc, used: 0, total: btc },
});

describe('predicted lack of funds (dry run)', () => {
  it('when a spot buy costs more quote than is free, then the shortfall names both amounts', () => {
    const intents = [order({ amount: 0.1, referencePrice: 60_000 })];
    expect(fundsShortfall({ intents, market: BINANCE_BTC_SPOT, balances: wallet(5_000) })).toEqual({
      currency: 'USDT',
      needed: 6_000,
      available: 5_000,
      fees: 0,
    });
    expect(fundsShortfall({ intents, market: BINANCE_BTC_SPOT, balances: wallet(6_000) })).toBeUndefined();
  });

  it('when a spot sale sells more base than is free, then the base is short', () => {
    const intents = [order({ side: 'sell', leg: 'close', amount: 0.2 })];
    expect(fundsShortfall({ intents, market: BINANCE_BTC_SPOT, balances: wallet(0, 0.1) })).toEqual({
      currency: 'BTC',
      needed: 0.2,
      available: 0.1,
      fees: 0,
    });
  });

  it('when a perpetual opens at a known leverage, then its initial margin is checked; reduce-only and trigger orders need none', () => {
    const market = { ...BINANCE_BTC_USDM, symbol: 'BTC/USDT:USDT' };
    const intents = [
      order({ side: 'sell', leg: 'close', amount: 1, reduceOnly: true }),
      order({ side: 'sell', amount: 0.5 }),
      order({
        side: 'buy',
        leg: 'sl',
        type: 'stop_market',
        amount: 0.5,
        triggerPrice: 70_000,
        reduceOnly: true,
      }),
    ];
    const balances = wallet(5_000);
    expect(fundsShortfall({ intents, market, balances, price: 60_000, leverage: 5 })).toEqual({
      currency: 'USDT',
      needed: 6_000,
      available: 5_000,
      fees: 0,
    });
    expect(fundsShortfall({ intents, market, balances, price: 60_000, leverage: 10 })).toBeUndefined();
    // The exchange's current leverage is unknown here: nothing is claimed.
    expect(fundsShortfall({ intents, market, balances, price: 60_000 })).toBeUndefined();
  });

  describe('fees', () => {
    const spot = (fees: Pick<Market, 'taker' | 'maker' | 'feeSide'>): Market => ({
      ...BINANCE_BTC_SPOT,
      ...fees,
    });
    const buy = order({ amount: 0.1, referencePrice: 60_000 });
    const limitBuy = order({ type: 'limit', amount: 0.1, price: 60_000 });
    const sell = order({ side: 'sell', leg: 'close', amount: 0.1, referencePrice: 60_000 });

    it.each([
      [
        'a market buy, fee in the quote on top (taker)',
        spot({ taker: 0.001, feeSide: 'quote' }),
        buy,
        'USDT',
        6_000,
        6,
      ],
      ['a market buy, no fee side given (ccxt: quote)', spot({ taker: 0.001 }), buy, 'USDT', 6_000, 6],
      ['a market buy, fee in what is given', spot({ taker: 0.001, feeSide: 'give' }), buy, 'USDT', 6_000, 6],
      [
        'a limit buy (maker rate)',
        spot({ taker: 0.001, maker: 0.0005, feeSide: 'quote' }),
        limitBuy,
        'USDT',
        6_000,
        3,
      ],
      [
        'a sale, fee in what is given (the base)',
        spot({ taker: 0.001, feeSide: 'give' }),
        sell,
        'BTC',
        0.1,
        0.0001,
      ],
      ['a sale, fee in the base', spot({ taker: 0.001, feeSide: 'base' }), sell, 'BTC', 0.1, 0.0001],
    ] as const)(
      'when %s fits the free balance without its fee but not with it, then the fee makes the shortfall',
      (_case, market, intent, currency, cost, fee) => {
        const balances = currency === 'USDT' ? wallet(cost) : wallet(0, cost);
        expect(fundsShortfall({ intents: [intent], market, balances })).toEqual({
          currency,
          needed: expect.closeTo(cost + fee, 9),
          available: cost,
          fees: expect.closeTo(fee, 9),
        });
        const enough = currency === 'USDT' ? wallet(cost + fee) : wallet(0, cost + fee);
        expect(fundsShortfall({ intents: [intent], market, balances: enough })).toBeUndefined();
      },
    );

    it.each([
      ['the rate is unknown', spot({ feeSide: 'quote' }), buy, wallet(6_000)],
      ['a limit order and only the taker rate is known', spot({ taker: 0.001 }), limitBuy, wallet(6_000)],
      [
        'a buy pays its fee in the base it gets (Binance spot)',
        spot({ taker: 0.001, feeSide: 'get' }),
        buy,
        wallet(6_000),
      ],
      ['a buy pays its fee in the base', spot({ taker: 0.001, feeSide: 'base' }), buy, wallet(6_000)],
      [
        'a buy pays its fee in another currency',
        spot({ taker: 0.001, feeSide: 'other' }),
        buy,
        wallet(6_000),
      ],
      [
        'a sale pays its fee in the quote it gets',
        spot({ taker: 0.001, feeSide: 'get' }),
        sell,
        wallet(0, 0.1),
      ],
      ['a sale pays its fee in the quote', spot({ taker: 0.001, feeSide: 'quote' }), sell, wallet(0, 0.1)],
    ] as const)(
      'when %s, then the order needs exactly its cost (as without fees)',
      (_case, market, intent, balances) => {
        expect(fundsShortfall({ intents: [intent], market, balances })).toBeUndefined();
      },
    );

    it('when the maker rate is a rebate (negative), then it lowers nothing: it is paid after the fill', () => {
      const market = spot({ maker: -0.0001, feeSide: 'quote' });
      expect(fundsShortfall({ intents: [limitBuy], market, balances: wallet(5_999.5) })).toEqual({
        currency: 'USDT',
        needed: 6_000,
        available: 5_999.5,
        fees: 0,
      });
    });

    it('when a perpetual opens at a known leverage and the taker rate is known, then the opening fee is needed beside the margin', () => {
      const market: Market = { ...BINANCE_BTC_USDM, taker: 0.0005, maker: 0.0002 };
      const intents = [order({ symbol: market.symbol, side: 'sell', amount: 0.5 })];
      // 0.5 × 60 000 = 30 000 notional: 6 000 margin at 5x, 15 fee.
      expect(
        fundsShortfall({ intents, market, balances: wallet(6_010), price: 60_000, leverage: 5 }),
      ).toEqual({
        currency: 'USDT',
        needed: 6_015,
        available: 6_010,
        fees: 15,
      });
      expect(
        fundsShortfall({ intents, market, balances: wallet(6_015), price: 60_000, leverage: 5 }),
      ).toBeUndefined();
      const noRate = { ...BINANCE_BTC_USDM };
      expect(
        fundsShortfall({ intents, market: noRate, balances: wallet(6_000), price: 60_000, leverage: 5 }),
      ).toBeUndefined();
    });
  });
});
