import { type TimeInForce } from './alert';

/**
 * The order intent: what planning decides to send, as plain data. It lives with the signal types rather than
 * with the exchange port because the web side shows it too (dry-run answers, the dashboard), and the web side
 * must not depend on exchange code.
 */

export type OrderSide = 'buy' | 'sell';

export type OrderType = 'market' | 'limit' | 'stop_market' | 'take_profit_market';

/** One order to place: the output of planning. */
export interface OrderIntent {
  /** Which leg of the signal (`open`, `close`, `tp`, `sl`…); part of the client order id. */
  leg: string;
  /** Deterministic: the same signal and leg always give the same id (≤ 32 chars of [A-Za-z0-9]). */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  amount: number;
  /** Limit price; absent for market orders. */
  price?: number;
  /**
   * The alert's reference price (`{{close}}`) of a market order: simulators fill at it; real exchanges
   * never receive it.
   */
  referencePrice?: number;
  /** Trigger price of stop / take-profit orders. */
  triggerPrice?: number;
  reduceOnly?: boolean;
  postOnly?: boolean;
  timeInForce?: TimeInForce;
  /** Attached take-profit / stop-loss, where the exchange supports them on the order itself. */
  takeProfitPrice?: number;
  stopLossPrice?: number;
}
