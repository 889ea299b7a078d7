import { toCcxtOrderArgs } from '../../../src/exchange/ccxt/order-request';
import type { Market, OrderIntent } from '../../../src/exchange/exchange-session';

const spot: Market = {
  symbol: 'BTC/USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  type: 'spot',
  active: true,
  precision: { amount: 0.00001, price: 0.01 },
  limits: {},
};
const swap: Market = {
  ...spot,
  symbol: 'BTC/USDT:USDT',
  settle: 'USDT',
  type: 'swap',
  linear: true,
  contractSize: 1,
};

const intent = (overrides: Partial<OrderIntent>): OrderIntent => ({
  leg: 'open',
  clientOrderId: 'sig1open',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: 0.01,
  ...overrides,
});

describe('toCcxtOrderArgs', () => {
  it('when a market order carries a reference price, then the price is not sent (ccxt would size by quote)', () => {
    const args = toCcxtOrderArgs(intent({ price: 60000 }), spot, false);
    expect(args).toEqual({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: 0.01,
      price: undefined,
      params: { clientOrderId: 'sig1open' },
    });
  });

  it('when a limit order has options, then they become ccxt unified params', () => {
    const args = toCcxtOrderArgs(
      intent({
        symbol: swap.symbol,
        type: 'limit',
        price: 59000,
        reduceOnly: true,
        postOnly: true,
        timeInForce: 'GTC',
      }),
      swap,
      false,
    );
    expect(args).toMatchObject({
      type: 'limit',
      price: 59000,
      params: { clientOrderId: 'sig1open', reduceOnly: true, postOnly: true },
    });
    expect(args.params).not.toHaveProperty('timeInForce');
  });

  it('when a limit order has a timeInForce and is not post-only, then the timeInForce is sent', () => {
    const args = toCcxtOrderArgs(
      intent({ symbol: swap.symbol, type: 'limit', price: 59000, timeInForce: 'IOC' }),
      swap,
      false,
    );
    expect(args.params).toMatchObject({ timeInForce: 'IOC' });
  });

  it('when reduceOnly is asked on spot, then it is dropped (spot has no position, Binance spot rejects it)', () => {
    expect(toCcxtOrderArgs(intent({ reduceOnly: true, side: 'sell' }), spot, false).params).toEqual({
      clientOrderId: 'sig1open',
    });
  });

  it.each([
    ['stop_market', 'stopLossPrice'],
    ['take_profit_market', 'takeProfitPrice'],
  ] as const)('when the intent is %s, then it is a market order with %s', (type, param) => {
    const args = toCcxtOrderArgs(
      intent({ symbol: swap.symbol, type, triggerPrice: 55000, reduceOnly: true, side: 'sell' }),
      swap,
      false,
    );
    expect(args).toMatchObject({
      type: 'market',
      price: undefined,
      params: { [param]: 55000, reduceOnly: true },
    });
  });

  it('when attached TP/SL are supported, then they become takeProfit/stopLoss objects', () => {
    const args = toCcxtOrderArgs(
      intent({ symbol: swap.symbol, takeProfitPrice: 66000, stopLossPrice: 57000 }),
      swap,
      true,
    );
    expect(args.params).toMatchObject({
      takeProfit: { triggerPrice: 66000 },
      stopLoss: { triggerPrice: 57000 },
    });
  });

  it.each([
    [
      'attached TP/SL where the exchange cannot attach them',
      intent({ takeProfitPrice: 66000 }),
      'not_supported',
    ],
    ['a limit order without a price', intent({ type: 'limit' }), 'invalid_order'],
    ['a stop order without a trigger price', intent({ type: 'stop_market' }), 'invalid_order'],
    ['postOnly on a market order', intent({ postOnly: true }), 'invalid_order'],
  ])('when the intent has %s, then it is refused before sending', (_case, bad, code) => {
    expect(() => toCcxtOrderArgs(bad, spot, false)).toThrow(
      expect.objectContaining({ code, kind: 'permanent' }),
    );
  });
});
