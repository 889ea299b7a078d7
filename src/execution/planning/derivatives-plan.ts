import { signedPosition } from './holdings';
import { closeLeg, directionOf, legs, nothing, openLeg, openingSide, targetLegs } from './leg-helpers';
import { type LegPlan, type PlanContext, type Rejection, isRejection, reject } from './plan-types';
import { type Direction, type SignalIntent } from './signal-intent';
import { describeAmount, sizeOf, targetInOrderUnits } from './sizing';

/**
 * The legs of a signal on a swap or future, in contracts, from the signed position (one-way mode).
 *
 * A change of side (`long` while short, `reverse`, `positionSize` across zero) is a reduce-only close of
 * the whole position followed by an opening leg — see {@link targetLegs} for why not one combined order.
 * Percent sizes of the opening leg refer to the position before the close, and percent_of_equity to the
 * free balance before the close (margin the close releases is not counted: conservative).
 */
export function derivativeLegs(intent: SignalIntent, ctx: PlanContext): LegPlan | Rejection {
  const { alert } = ctx.input;
  // A plain buy/sell does not look at the position unless its size refers to it.
  if (intent.kind === 'order' && alert.quantityType !== 'percent_of_position') {
    const size = sizeOf(ctx, 0);
    return isRejection(size) ? size : legs(openLeg(intent.side, size));
  }
  const position = signedPosition(ctx.input.market, ctx.input.snapshot);
  if (isRejection(position)) return position;
  const held = Math.abs(position);
  const current = directionOf(position);

  switch (intent.kind) {
    case 'cancel':
      return legs();
    case 'order': {
      const size = sizeOf(ctx, held);
      return isRejection(size) ? size : legs(openLeg(intent.side, size));
    }
    case 'enter': {
      const size = sizeOf(ctx, held);
      if (isRejection(size)) return size;
      const open = openLeg(openingSide(intent.direction), size);
      // Closing the opposite side first, whole, so that the position ends at exactly `size` this way.
      if (!current || current === intent.direction) return legs(open);
      const flip = legs(closeLeg(position, held, 'reject'), open);
      flip.notes.push(
        `the ${current} position of ${describeAmount(ctx.input.market, held)} is closed first, then the ${intent.direction} opened`,
      );
      return flip;
    }
    case 'reduce':
      if (current !== intent.direction) return nothing(`no ${intent.direction} position to reduce`);
      return reduceBy(ctx, position);
    case 'close':
      if (!current) return nothing('no position to close');
      if (intent.only && current !== intent.only)
        return nothing(`no ${intent.only} position to close; it is ${current}`);
      return intent.partial ? reduceBy(ctx, position) : legs(closeLeg(position, held, 'reject'));
    case 'reverse':
      return reverse(ctx, position, intent.fallback);
    case 'target': {
      const target = targetInOrderUnits(ctx, intent.target);
      if (isRejection(target)) return target;
      const describe = (amount: number) => describeAmount(ctx.input.market, amount);
      return targetLegs(position, target, intent.direction, describe, 'reject');
    }
  }
}

/** A reduce-only leg of the alert's size, capped at the position (a close never opens the other side). */
function reduceBy(ctx: PlanContext, position: number): LegPlan | Rejection {
  const held = Math.abs(position);
  const size = sizeOf(ctx, held);
  if (isRejection(size)) return size;
  const plan = legs(closeLeg(position, Math.min(size, held), 'reject'));
  if (size > held) {
    const { market } = ctx.input;
    plan.notes.push(
      `closes the whole position of ${describeAmount(market, held)} instead of ${describeAmount(market, size)}: a close never opens the other side`,
    );
  }
  return plan;
}

function reverse(ctx: PlanContext, position: number, fallback: Direction | undefined): LegPlan | Rejection {
  const held = Math.abs(position);
  const current = directionOf(position);
  if (!current) {
    // Nothing to reverse means no side to reverse to, unless a sentiment names it.
    if (!fallback) {
      return reject(
        'nothing_to_reverse',
        `reverse needs an open position in ${ctx.input.market.symbol}; it is flat (send a sentiment to name the side)`,
      );
    }
    const size = sizeOf(ctx, 0);
    return isRejection(size) ? size : legs(openLeg(openingSide(fallback), size));
  }
  const next: Direction = current === 'long' ? 'short' : 'long';
  if (fallback && fallback !== next) {
    return reject(
      'contradictory_signal',
      `reverse of a ${current} position opens a ${next}, but sentiment is ${fallback}`,
    );
  }
  // Without a quantity the new side mirrors the old one.
  const mirrored = ctx.input.alert.quantity === undefined;
  const size = mirrored ? held : sizeOf(ctx, held);
  if (isRejection(size)) return size;
  const plan = legs(closeLeg(position, held, 'reject'), openLeg(openingSide(next), size));
  if (mirrored) {
    plan.notes.push(
      `reverse without a quantity: the new ${next} mirrors the ${current} of ${describeAmount(ctx.input.market, held)}`,
    );
  }
  return plan;
}
