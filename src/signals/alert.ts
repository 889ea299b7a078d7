/** What an alert asks for. `close` also covers the aliases `exit` and `flat`. */
export const ACTIONS = ['buy', 'sell', 'long', 'short', 'close', 'reverse', 'cancel'] as const;
/**
 * What a signal asks for. `flatten` (cancel every open order of the account and close every derivatives
 * position) is not an alert's action: only `POST /api/v1/accounts/:id/flatten` records it.
 */
export type Action = (typeof ACTIONS)[number] | 'flatten';

/** TradersPost-style target state. */
export type Sentiment = 'long' | 'short' | 'flat';
export type OrderType = 'market' | 'limit';
/**
 * Units of `quantity`: `base` (base currency on every market, converted to contracts with the market's
 * contract size), `contracts` (the exchange's contracts as they are; base units on spot), `quote`,
 * `percent_of_equity`, `percent_of_position`.
 */
export const QUANTITY_TYPES = [
  'base',
  'contracts',
  'quote',
  'percent_of_equity',
  'percent_of_position',
] as const;
export type QuantityType = (typeof QUANTITY_TYPES)[number];
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type MarginMode = 'isolated' | 'cross';

/** Take-profit or stop-loss: an absolute price, or a percent distance from the fill/reference price. */
export type Exit = { price: number } | { percent: number };

/**
 * A validated, normalised alert (schema v1). Aliases are resolved, numeric strings are numbers, and the
 * token is gone: this is what is queued and stored.
 */
export interface Alert {
  /** The sender's idempotency key (`id` in the body), if any. */
  idempotencyKey?: string;
  /** Alert time in epoch milliseconds, from `timestamp`. */
  timestamp?: number;
  /** Account id; resolved to the first configured account when absent. */
  account: string;
  /** The symbol as sent (trimmed), e.g. `BINANCE:BTCUSDT.P`; mapped to a market by the worker. */
  symbol: string;
  action?: Action;
  sentiment?: Sentiment;
  orderType: OrderType;
  price?: number;
  quantity?: number;
  quantityType: QuantityType;
  positionSize?: number;
  leverage?: number;
  marginMode?: MarginMode;
  reduceOnly?: boolean;
  postOnly?: boolean;
  timeInForce?: TimeInForce;
  takeProfit?: Exit;
  stopLoss?: Exit;
  maxLagSeconds?: number;
  comment?: string;
  meta?: Record<string, unknown>;
}

/** A field-level validation problem, as answered in a 400 `invalid_signal` body. */
export interface ValidationIssue {
  path: string;
  message: string;
}
