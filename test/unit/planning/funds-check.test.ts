import { type OrderIntent } from '../../../src/exchange/exchange-session';
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
    });
    expect(fundsShortfall({ intents, market: BINANCE_BTC_SPOT, balances: wallet(6_000) })).toBeUndefined();
  });

  it('when a spot sale sells more base than is free, then the base is short', () => {
    const intents = [order({ side: 'sell', leg: 'close', amount: 0.2 })];
    expect(fundsShortfall({ intents, market: BINANCE_BTC_SPOT, balances: wallet(0, 0.1) })).toEqual({
      currency: 'BTC',
      needed: 0.2,
      available: 0.1,
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
    });
    expect(fundsShortfall({ intents, market, balances, price: 60_000, leverage: 10 })).toBeUndefined();
    // The exchange's current leverage is unknown here: nothing is claimed.
    expect(fundsShortfall({ intents, market, balances, price: 60_000 })).toBeUndefined();
  });
});
