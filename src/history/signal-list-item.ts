import { type SignalError, type SignalStatus } from '../signals/signal-record';

/**
 * A signal as lists show it and as its events carry it (docs/api.md "Signals"). Built in Lua by the status
 * scripts (signal-lua.ts `th_item`) and stored in the record's `item` field, so that the list, the event
 * and the record can never disagree.
 */
export interface SignalListItem {
  id: string;
  status: SignalStatus;
  account: string;
  /** As the alert sent it. */
  symbol: string;
  /** The exchange market its first order went to, once known. */
  market: string | null;
  action: string | null;
  side: 'buy' | 'sell' | null;
  /** `meta.strategy`, else the alert's `comment`. */
  strategy: string | null;
  receivedAt: string;
  finishedAt: string | null;
  /** Orders placed or adopted, exits included. */
  orders: number;
  /** What the signal's own orders (not its exits) filled, in total. */
  filled: { amount: number; average: number; cost: number } | null;
  /** Fill-weighted slippage of its own orders against the alert's `price`; positive is worse. */
  slippageBps: number | null;
  error: SignalError | null;
}
