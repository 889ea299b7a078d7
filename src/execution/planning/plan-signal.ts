import { type OrderIntent } from '../../exchange/exchange-session';
import { derivativeLegs } from './derivatives-plan';
import { withExits } from './exits';
import { buildOrders } from './order-legs';
import { overrideNotes } from './override-notes';
import {
  type LegPlan,
  type Plan,
  type PlanContext,
  type PlanInput,
  type PlanStep,
  type Rejection,
  isRejection,
  reject,
} from './plan-types';
import { resolveIntent } from './signal-intent';
import { spotLegs } from './spot-plan';
import { refuseUpFront } from './up-front-checks';

// The caller imports the planner's whole surface from here.
export type { Plan, PlanInput, PlanStep, RiskLimits, Snapshot } from './plan-types';
export { snapshotNeeds } from './snapshot-needs';

/**
 * Turns a signal into the steps that carry it out. Pure: (signal, market, snapshot) → steps; no I/O.
 *
 * Every order is rounded through the injected precision and checked against the market's minimums and
 * the account's `maxOrderCost` before a plan is returned, so a rejection sends nothing. Steps run in
 * this order: closing legs (reduce-only), margin mode and leverage (only when something opens, and after
 * the close: exchanges refuse a margin-mode change while a position is open), the opening leg with any
 * attached TP/SL, then separate TP/SL trigger orders.
 *
 * Deterministic for a given snapshot, and every order carries a client order id derived from the signal
 * id and its leg (`open`, `close`, `tp`, `sl`), so a re-run adopts orders its first run placed.
 */
export function planSignal(input: PlanInput): Plan {
  const { alert, market } = input;
  const resolved = resolveIntent(alert);
  if (!resolved.ok) return resolved;
  const intent = resolved.intent;
  const overrides = overrideNotes(alert, intent);
  if (intent.kind === 'cancel') return done([{ kind: 'cancel_open', symbol: market.symbol }], overrides);
  const refused = refuseUpFront(alert, market, intent);
  if (refused) return refused;

  const ctx = context(input);
  if (isRejection(ctx)) return ctx;
  ctx.notes.push(...overrides);
  const legPlan = ctx.derivative ? derivativeLegs(intent, ctx) : spotLegs(intent, ctx);
  if (isRejection(legPlan)) return legPlan;
  const { legs, notes } = applyReduceOnly(legPlan, alert.reduceOnly === true);
  notes.unshift(...ctx.notes);

  const built = buildOrders(legs, ctx);
  if (isRejection(built)) return built;
  notes.push(...built.notes);
  const closes = built.intents.filter((o) => o.leg === 'close');
  const opening = built.intents.find((o) => o.leg === 'open');
  if (!opening) {
    if (alert.takeProfit || alert.stopLoss) notes.push('takeProfit/stopLoss ignored: nothing was opened');
    if (alert.leverage !== undefined || alert.marginMode)
      notes.push('leverage/marginMode left as they are: nothing was opened');
    return done(closes.map(orderStep), notes);
  }
  const entry = withExits(opening, ctx);
  if (isRejection(entry)) return entry;
  const setup = accountSetup(ctx);
  if (isRejection(setup)) return setup;
  return done(
    [...closes.map(orderStep), ...setup, orderStep(entry.entry), ...entry.exits.map(orderStep)],
    notes,
  );
}

const orderStep = (intent: OrderIntent): PlanStep => ({ kind: 'order', intent });

function done(steps: PlanStep[], notes: string[]): Plan {
  return notes.length > 0 ? { ok: true, steps, notes } : { ok: true, steps };
}

function context(input: PlanInput): PlanContext | Rejection {
  const { alert, market, precision, snapshot } = input;
  const derivative = market.type !== 'spot';
  if (alert.orderType === 'limit' && alert.price !== undefined) {
    const limitPrice = precision.price(market.symbol, alert.price);
    if (!(limitPrice > 0))
      return reject('invalid_price', `limit price ${alert.price} rounds to ${limitPrice}`);
    return { input, derivative, limitPrice, refPrice: limitPrice, notes: [] };
  }
  const refPrice = snapshot.price ?? alert.price;
  if (refPrice !== undefined && !(refPrice > 0))
    return reject('invalid_price', `reference price ${refPrice} is not > 0`);
  return { input, derivative, ...(refPrice !== undefined ? { refPrice } : {}), notes: [] };
}

/**
 * `reduceOnly: true` keeps only the legs that lower exposure, whatever else the alert says: it can turn
 * a flip into a close, never block an exit, and never open.
 */
function applyReduceOnly(plan: LegPlan, reduceOnly: boolean): LegPlan {
  if (!reduceOnly || plan.legs.every((leg) => leg.reduces))
    return { legs: plan.legs, notes: [...plan.notes] };
  const kept = plan.legs.filter((leg) => leg.reduces);
  return { legs: kept, notes: [...plan.notes, 'reduceOnly: the opening leg was left out'] };
}

/**
 * Margin mode, then leverage (Bybit and OKX set leverage per margin mode). Derivatives only; refused
 * when the exchange cannot set them, because silently trading at another leverage changes liquidation.
 */
function accountSetup(ctx: PlanContext): PlanStep[] | Rejection {
  const { alert, market, capabilities } = ctx.input;
  const steps: PlanStep[] = [];
  if (alert.marginMode) {
    if (!capabilities.setMarginMode) {
      return reject('leverage_not_supported', 'this exchange cannot set the margin mode through its API');
    }
    steps.push({ kind: 'set_margin_mode', symbol: market.symbol, mode: alert.marginMode });
  }
  if (alert.leverage !== undefined) {
    if (!capabilities.setLeverage) {
      return reject('leverage_not_supported', 'this exchange cannot set leverage through its API');
    }
    steps.push({ kind: 'set_leverage', symbol: market.symbol, leverage: alert.leverage });
  }
  return steps;
}
