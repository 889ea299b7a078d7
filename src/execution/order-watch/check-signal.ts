import { type ExchangeOrder, type ExchangeSession, type OrderIntent } from '../../exchange/exchange-session';
import { type RunProgress } from '../../signals/run-progress';
import { type SignalError, type SignalRecord, type SignalStatus } from '../../signals/signal-record';
import { isResting, statusOfOrders } from '../../signals/signal-status';
import { toOrderRecord, withTimes } from '../order-placement';
import { clockTime, describeOrder } from './watch-notes';

/** How long the reconciler keeps looking for an order of unknown fate, counted from when it was sent. */
export const RECONCILE_FOR_MS = 24 * 3600_000;

/** What one check of a watched signal found. */
export interface CheckOutcome {
  /** The record's new state, when anything changed. */
  update?: { to: SignalStatus; progress: RunProgress; error?: SignalError | null };
  /** Something is still to watch: an order resting, or one of unknown fate (`reconciling`). */
  watching: 'resting' | 'reconciling' | undefined;
  /** The earliest moment a new look can tell more (an unknown order's receive window), if any. */
  notBefore?: number;
}

interface CheckInput {
  record: SignalRecord;
  progress: RunProgress;
  session: ExchangeSession;
  now: number;
}

/**
 * One look at a watched signal on its exchange: the order of unknown fate, if any (reconciler), then every
 * order still resting (follower). Pure apart from the session's lookups; the caller writes the outcome.
 *
 * - An unknown order found on the exchange is adopted: the record gets its real fill and the status it
 *   gives. If the plan had steps after it, they were never carried out: the record stays `failed`
 *   (`later_steps_skipped`) so the trader sees what is missing.
 * - An unknown order still absent once its receive window has passed is proven never placed: the record
 *   stays `failed`, its error becomes `order_not_placed` (nothing to check by hand).
 * - A resting order that filled, or was canceled or expired on the exchange, moves a `placed` signal to
 *   `filled` or `canceled` (a partial fill is kept).
 */
export async function checkSignal(input: CheckInput): Promise<CheckOutcome> {
  const progress: RunProgress = structuredClone(input.progress);
  const state = { changed: false, error: undefined as SignalError | null | undefined, skipped: false };
  let notBefore: number | undefined;
  if (progress.unresolved) {
    notBefore = await reconcile(input, progress, state);
  }
  await follow(input, progress, state);

  const watching = progress.unresolved
    ? 'reconciling'
    : progress.orders.some(isResting)
      ? 'resting'
      : undefined;
  if (!state.changed) return { watching, ...(notBefore === undefined ? {} : { notBefore }) };
  const to = nextStatus(input.record.status, progress, state);
  return {
    update: { to, progress, ...(state.error === undefined ? {} : { error: state.error }) },
    watching,
    ...(notBefore === undefined ? {} : { notBefore }),
  };
}

type CheckState = { changed: boolean; error: SignalError | null | undefined; skipped: boolean };

function nextStatus(from: SignalStatus, progress: RunProgress, state: CheckState): SignalStatus {
  if (from === 'placed') return statusOfOrders(progress.orders);
  // A failed signal changes only when its unknown order was found and nothing after it was skipped.
  if (from === 'failed' && state.error === null) return statusOfOrders(progress.orders);
  return from;
}

/** Looks for the order of unknown fate. Returns when to look next if its absence is not provable yet. */
async function reconcile(
  input: CheckInput,
  progress: RunProgress,
  state: CheckState,
): Promise<number | undefined> {
  const unresolved = progress.unresolved!;
  const id = unresolved.clientOrderId;
  const at = clockTime(input.now);
  const steps = progress.steps ?? [];
  const index = steps.findIndex((s) => s.kind === 'order' && s.intent.clientOrderId === id);
  const intent = index >= 0 ? (steps[index] as { intent: OrderIntent }).intent : undefined;
  if (!intent) {
    progress.unresolved = undefined; // a record without its plan: nothing can be looked up
    return undefined;
  }
  let found: ExchangeOrder | undefined;
  try {
    found = await input.session.findOrder(intent.symbol, id);
  } catch (error) {
    if (input.now < unresolved.sentAt + RECONCILE_FOR_MS) return undefined;
    progress.unresolved = undefined;
    note(
      progress,
      `reconciler gave up ${at}: order ${id} could not be looked up for 24 h (${(error as Error).message}); check it by hand`,
    );
    state.changed = true;
    return undefined;
  }
  if (found) {
    progress.unresolved = undefined;
    progress.orders.push(
      withTimes(toOrderRecord(intent, found, input.record.alert.price), unresolved.sentAt, input.now),
    );
    note(progress, `reconciled ${at}: order ${id} found on the exchange, ${describeOrder(found)}`);
    state.changed = true;
    const later = steps.slice(index + 1).map((s) => (s.kind === 'order' ? s.intent.leg : s.kind));
    if (later.length > 0 && input.record.status === 'failed') {
      state.error = {
        code: 'later_steps_skipped',
        message: `order ${id} was found on the exchange after the signal had given up; its later steps (${later.join(', ')}) were not carried out: check the position`,
      };
    } else if (input.record.status === 'failed') {
      state.error = null;
    }
    return undefined;
  }
  const provenAt = unresolved.sentAt + (input.session.orderAcceptWindowMs ?? 0);
  if (input.now < provenAt) return provenAt;
  progress.unresolved = undefined;
  state.error = {
    code: 'order_not_placed',
    message: `proven absent: the exchange never placed order ${id}; nothing to check by hand`,
  };
  note(progress, `reconciled ${at}: order ${id} proven absent on the exchange; it was never placed`);
  state.changed = true;
  return undefined;
}

/** Brings every resting order up to date with the exchange. A failed lookup leaves it for the next look. */
async function follow(input: CheckInput, progress: RunProgress, state: CheckState): Promise<void> {
  for (const [i, order] of progress.orders.entries()) {
    if (!isResting(order)) continue;
    let found: ExchangeOrder | undefined;
    try {
      found = await input.session.findOrder(order.symbol, order.clientOrderId);
    } catch {
      continue;
    }
    if (!found) continue; // a resting order cannot vanish; an exchange that forgets it is asked again later
    const next = { ...order, ...toOrderRecord(intentOf(order), found, input.record.alert.price) };
    if (next.status === 'closed' && next.filledAt === undefined) next.filledAt = input.now;
    if (sameState(order, next)) continue;
    progress.orders[i] = next;
    state.changed = true;
    if (next.status !== order.status) {
      note(progress, `followed ${clockTime(input.now)}: order ${order.clientOrderId} ${describeOrder(next)}`);
    }
  }
}

/** The intent an order record came from, enough to rebuild the record from a fresh exchange order. */
function intentOf(order: SignalRecord['orders'][number]): OrderIntent {
  return {
    leg: order.leg,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type as OrderIntent['type'],
    amount: order.amount,
    ...(order.price === undefined ? {} : { price: order.price }),
  };
}

function sameState(a: SignalRecord['orders'][number], b: SignalRecord['orders'][number]): boolean {
  return (
    a.status === b.status &&
    a.filled === b.filled &&
    a.average === b.average &&
    a.cost === b.cost &&
    JSON.stringify(a.fee) === JSON.stringify(b.fee)
  );
}

function note(progress: RunProgress, text: string): void {
  (progress.notes ??= []).push(text);
}
