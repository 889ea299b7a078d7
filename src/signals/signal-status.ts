import { type OrderRecord, type SignalStatus } from './signal-record';

/**
 * Legs that protect a position (take-profit, stop-loss). They rest on the book by design and one of them
 * is canceled or expires when the other triggers, so they never decide a signal's status; the order watch
 * keeps their state in the record.
 */
export const EXIT_LEGS: ReadonlySet<string> = new Set(['tp', 'sl']);

/** ccxt order statuses that end an order without a complete fill. */
const ENDED_UNFILLED: ReadonlySet<string> = new Set(['canceled', 'cancelled', 'expired', 'rejected']);

/** Whether an order still rests on the exchange's book (its fate can still change). */
export const isResting = (order: Pick<OrderRecord, 'status'>): boolean => order.status === 'open';

/**
 * The status a signal's own orders give it (contract "Signal lifecycle"), looking at the legs that are
 * not exits: `canceled` when one was canceled, expired or rejected on the exchange (a partial fill is kept
 * in the record); `placed` while one rests; `filled` when all filled; `done` when the signal placed no
 * order of its own (a cancel, nothing to close, a target already reached). Pure.
 */
export function statusOfOrders(orders: readonly Pick<OrderRecord, 'leg' | 'status'>[]): SignalStatus {
  const own = orders.filter((order) => !EXIT_LEGS.has(order.leg));
  if (own.length === 0) return 'done';
  if (own.some((order) => ENDED_UNFILLED.has(order.status))) return 'canceled';
  if (own.some(isResting)) return 'placed';
  return 'filled';
}

/**
 * Whether a record may move from `from` to `to`. A final record never moves backwards: only `placed` moves
 * on (to `filled` or `canceled`), and a `failed` signal whose order's fate was unknown moves to what the
 * reconciler found. A status may always be rewritten as itself (the order watch updating fills).
 */
export function nextStatusAllowed(from: SignalStatus, to: SignalStatus): boolean {
  if (from === to) return true;
  switch (from) {
    case 'queued':
      return to !== 'queued';
    case 'processing':
      return to !== 'queued';
    case 'placed':
      return to === 'filled' || to === 'canceled';
    case 'failed':
      return to === 'filled' || to === 'placed' || to === 'canceled' || to === 'done';
    case 'filled':
    case 'done':
    case 'canceled':
    case 'rejected':
    case 'expired':
      return false;
  }
}
