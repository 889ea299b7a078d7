import { type OrderSide } from '../../exchange/exchange-session';
import { type LegPlan, type RawLeg } from './plan-types';
import { type Direction } from './signal-intent';
import { clean } from './sizing';

/** The side that opens (or adds to) a position in this direction. */
export const openingSide = (direction: Direction): OrderSide => (direction === 'long' ? 'buy' : 'sell');

/** A leg that adds exposure; too small is the trader's size being wrong, so it rejects by default. */
export function openLeg(side: OrderSide, amount: number, belowMin: RawLeg['belowMin'] = 'reject'): RawLeg {
  return { leg: 'open', side, amount: clean(amount), reduces: false, belowMin };
}

/** A leg that lowers the signed `position` by `amount` (never past flat: reduce-only / a sale). */
export function closeLeg(position: number, amount: number, belowMin: RawLeg['belowMin']): RawLeg {
  return {
    leg: 'close',
    side: position > 0 ? 'sell' : 'buy',
    amount: clean(amount),
    reduces: true,
    belowMin,
  };
}

export const legs = (...list: RawLeg[]): LegPlan => ({ legs: list, notes: [] });

export const nothing = (note: string): LegPlan => ({ legs: [], notes: [note] });

export const directionOf = (position: number): Direction | undefined =>
  position > 0 ? 'long' : position < 0 ? 'short' : undefined;

/**
 * Legs that move a position from `current` to `target` (both signed, in the order's unit; `describe` puts
 * an amount in words for the notes).
 *
 * Crossing zero (+1 → −1) is two legs, never one order of the combined size: a reduce-only close of the
 * whole position, then an opening leg of exactly the target. If the position shrank between the snapshot
 * and the order (a stop filled), reduce-only caps the close at what is left, so the result can never
 * exceed the intended −1; a single sell of 2 would leave −1.5 after a half-stopped +0.5. Each leg also
 * gets its own precision, minimum checks and client order id, and if the opening leg fails the account is
 * flat — the safe place to stop.
 *
 * `direction` `up`/`down` only trades in the alert's direction (a `buy` never sells): a repeated alert is
 * already at its target and does nothing, a missed one trades the difference.
 */
export function targetLegs(
  current: number,
  target: number,
  direction: 'up' | 'down' | 'both',
  describe: (amount: number) => string,
  fullCloseBelowMin: RawLeg['belowMin'],
): LegPlan {
  const diff = clean(target - current);
  if (diff === 0) return nothing(`already at the target position ${describe(target)}`);
  if ((direction === 'up' && diff < 0) || (direction === 'down' && diff > 0)) {
    const action = direction === 'up' ? 'buy' : 'sell';
    return nothing(
      `position ${describe(current)} is already at or beyond the target ${describe(target)} for a ${action}; a ${action} never trades the other way`,
    );
  }
  const crosses = current !== 0 && Math.sign(target) !== Math.sign(current);
  if (crosses) {
    const close = closeLeg(current, Math.abs(current), fullCloseBelowMin);
    return target === 0 ? legs(close) : legs(close, openLeg(target > 0 ? 'buy' : 'sell', Math.abs(target)));
  }
  if (Math.abs(target) < Math.abs(current)) return legs(closeLeg(current, Math.abs(diff), 'skip'));
  // Adding to an existing position is an adjustment (skip if too small to trade); opening from flat is not.
  return legs(openLeg(diff > 0 ? 'buy' : 'sell', Math.abs(diff), current === 0 ? 'reject' : 'skip'));
}
