import { type OrderSide } from '../exchange-session';
import { type Dec, ZERO, dec, str } from './decimal';
import { applyFill } from './fills';
import { type Ledger } from './ledger';
import { type Instrument, type PaperOrder, type PaperOrderStatus, openOrdersOf } from './paper-book';

/**
 * How much of an order of `side` would reduce the position: all of it against the position, none with it or
 * when flat. A reduce-only order never fills more than this, so it can never open or grow a position.
 */
export function reducible(ledger: Ledger, instrument: Instrument, side: OrderSide): Dec {
  if (instrument.kind !== 'linear') return ZERO;
  const contracts = dec(ledger.position(instrument.symbol).contracts);
  const against = side === 'buy' ? contracts.isNegative() : contracts.isPositive();
  return against ? contracts.abs() : ZERO;
}

/**
 * Fills `amount` of `order` at `price` (all at one price: the simulator has no order book depth), books it, and
 * ends the order: `closed`, or `status` when less than its amount filled (an IOC remainder is `expired`).
 */
export function fillOrder(
  ledger: Ledger,
  order: PaperOrder,
  fill: { amount: Dec; price: Dec; status?: PaperOrderStatus; note?: string },
): PaperOrder {
  const instrument = ledger.instrument(order.symbol);
  const { cost, fee } = applyFill(ledger, {
    instrument,
    side: order.side,
    amount: fill.amount,
    price: fill.price,
  });
  order.filled = str(fill.amount);
  order.average = str(fill.price);
  order.cost = str(cost);
  order.fee = str(fee);
  order.reserved = undefined;
  order.status = fill.status ?? 'closed';
  if (fill.note) order.note = fill.note;
  ledger.save(order);
  if (instrument.kind === 'linear') cancelOrphanedExits(ledger, instrument);
  return order;
}

/** Ends a resting order without a fill, releasing what it reserved. */
export function endOrder(
  ledger: Ledger,
  order: PaperOrder,
  outcome: { status: 'canceled' | 'expired'; note: string },
): PaperOrder {
  order.status = outcome.status;
  order.note = outcome.note;
  order.reserved = undefined;
  return ledger.save(order);
}

/**
 * Once a position is closed (or reversed), the resting reduce-only orders that protected it (take-profit,
 * stop-loss) have nothing left to reduce: they are canceled, as Bybit does, so that a stale stop can never hit a
 * later position of the same symbol.
 */
function cancelOrphanedExits(ledger: Ledger, instrument: Instrument): void {
  for (const order of openOrdersOf(ledger.book, instrument.symbol)) {
    if (order.reduceOnly && reducible(ledger, instrument, order.side).isZero()) {
      endOrder(ledger, order, {
        status: 'canceled',
        note: 'the position it reduced was closed; reduce-only order canceled',
      });
    }
  }
}
