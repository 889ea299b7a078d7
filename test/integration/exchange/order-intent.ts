import { type OrderIntent } from '../../../src/exchange/exchange-session';

/**
 * An intent for the session tests: a market buy of 0.01 opening a position unless `fields` say otherwise,
 * so that each test spells out only what it is about.
 */
export const intent = (
  clientOrderId: string,
  symbol: string,
  fields: Partial<OrderIntent> = {},
): OrderIntent => ({
  leg: 'open',
  clientOrderId,
  symbol,
  side: 'buy',
  type: 'market',
  amount: 0.01,
  ...fields,
});

/** A reduce-only limit sell of 0.01 at `price`, taking the profit of a long. */
export const takeProfit = (
  clientOrderId: string,
  symbol: string,
  price: number,
  fields: Partial<OrderIntent> = {},
): OrderIntent =>
  intent(clientOrderId, symbol, {
    leg: 'tp',
    side: 'sell',
    type: 'limit',
    price,
    reduceOnly: true,
    ...fields,
  });

/** A reduce-only stop-market sell of 0.01 triggered at `triggerPrice`, the stop of a long. */
export const stopLoss = (clientOrderId: string, symbol: string, triggerPrice: number): OrderIntent =>
  intent(clientOrderId, symbol, {
    leg: 'sl',
    side: 'sell',
    type: 'stop_market',
    triggerPrice,
    reduceOnly: true,
  });

/** A long of 0.01 and its exits resting: take profit at 66,000, stop at 57,000; ids `<prefix>open|tp|sl`. */
export const bracket = (prefix: string, symbol: string): OrderIntent[] => [
  intent(`${prefix}open`, symbol),
  takeProfit(`${prefix}tp`, symbol, 66000),
  stopLoss(`${prefix}sl`, symbol, 57000),
];
