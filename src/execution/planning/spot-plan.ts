import { type Holding, spotHolding } from './holdings';
import { closeLeg, legs, nothing, openLeg, targetLegs } from './leg-helpers';
import {
  type LegPlan,
  type PlanContext,
  type RawLeg,
  type Rejection,
  isRejection,
  reject,
} from './plan-types';
import { type SignalIntent } from './signal-intent';
import { sizeOf, targetInOrderUnits } from './sizing';

/** A sale out of a spot holding: a close leg of a (necessarily long) position. */
const sale = (amount: number, belowMin: RawLeg['belowMin']): RawLeg => closeLeg(1, amount, belowMin);

/**
 * The legs of a signal on spot, in base units. The "position" is the base-currency holding: its TOTAL
 * (including what open orders hold) when a size or target refers to it, so that a resting sell never makes
 * positionSize buy more; its FREE part when selling it all, because only that can be sold. On spot the
 * whole holding counts, including coins held outside any strategy.
 *
 * There is no reduce-only on spot and no short (shorts are refused before this, see
 * {@link refuseUpFront}). Exits asking for more than is free are capped at the free balance, with a note,
 * rather than fail; an explicit `sell` is sent as asked.
 */
export function spotLegs(intent: SignalIntent, ctx: PlanContext): LegPlan | Rejection {
  const { alert, market } = ctx.input;
  switch (intent.kind) {
    case 'order':
    case 'enter': {
      const side = intent.kind === 'order' ? intent.side : 'buy';
      // Only percent_of_position needs the holding; a plain buy or sell must not wait for a balance.
      const byPosition = alert.quantityType === 'percent_of_position';
      const holding = byPosition ? spotHolding(market, ctx.input.snapshot) : undefined;
      if (isRejection(holding)) return holding;
      const size = sizeOf(ctx, holding?.total ?? 0);
      if (isRejection(size)) return size;
      return legs(side === 'buy' ? openLeg('buy', size) : sale(size, 'reject'));
    }
    case 'reduce':
      return withHolding(ctx, (holding) => sellPart(ctx, holding));
    case 'close':
      if (intent.only === 'short') return nothing('a spot account holds no short position to close');
      return withHolding(ctx, (holding) => {
        if (intent.partial) return sellPart(ctx, holding);
        if (holding.free <= 0) return nothing(`no free ${market.base} to sell`);
        // Everything free is sold; dust below the market minimum cannot be, and is left alone.
        return legs(sale(holding.free, 'skip'));
      });
    case 'target': {
      const target = targetInOrderUnits(ctx, intent.target);
      if (isRejection(target)) return target;
      const describe = (amount: number) => `${amount} ${market.base}`;
      return withHolding(ctx, (holding) =>
        capSales(targetLegs(holding.total, target, intent.direction, describe, 'skip'), holding, ctx),
      );
    }
    case 'cancel':
    case 'reverse':
      // Handled before: cancel has no legs, reverse is refused on spot.
      return reject('not_supported', `${intent.kind} has no spot legs`);
  }
}

function withHolding(ctx: PlanContext, plan: (holding: Holding) => LegPlan | Rejection): LegPlan | Rejection {
  const holding = spotHolding(ctx.input.market, ctx.input.snapshot);
  return isRejection(holding) ? holding : plan(holding);
}

/** A sale of the alert's size out of the holding (a partial exit), capped at what is free. */
function sellPart(ctx: PlanContext, holding: Holding): LegPlan | Rejection {
  if (holding.free <= 0) return nothing(`no free ${ctx.input.market.base} to sell`);
  const size = sizeOf(ctx, holding.total);
  if (isRejection(size)) return size;
  return capSales(legs(sale(size, 'reject')), holding, ctx);
}

/** An exit asking for more than is free sells what is free, and says so, rather than fail the exit. */
function capSales(plan: LegPlan, holding: Holding, ctx: PlanContext): LegPlan {
  const notes = [...plan.notes];
  const capped = plan.legs.map((leg) => {
    if (!leg.reduces || leg.amount <= holding.free) return leg;
    notes.push(
      `sells the free ${holding.free} ${ctx.input.market.base} instead of ${leg.amount}: the rest is held by open orders`,
    );
    return { ...leg, amount: holding.free };
  });
  return { legs: capped, notes };
}
