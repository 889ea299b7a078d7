import { type OrderIntent } from '../../exchange/exchange-session';
import { clientOrderId } from './client-order-id';
import {
  type PlanContext,
  type PlanRejectCode,
  type RawLeg,
  type Rejection,
  isRejection,
  reject,
} from './plan-types';
import { clean, describeAmount, notional } from './sizing';

/** The orders of a plan, checked and rounded, and notes on legs skipped as too small. */
export interface BuiltOrders {
  intents: OrderIntent[];
  notes: string[];
}

/**
 * Rounds every leg through the injected precision (amounts truncate) and checks it BEFORE anything is
 * sent: min/max amount, min cost (ccxt does not check cost; for contracts it is
 * contracts × contractSize × price) and the account's `maxOrderCost`. One failing leg rejects the whole
 * plan, so a flip never stops half-way because its second leg was too small.
 */
export function buildOrders(raw: RawLeg[], ctx: PlanContext): BuiltOrders | Rejection {
  const intents: OrderIntent[] = [];
  const notes: string[] = [];
  for (const leg of raw) {
    const amount = roundAmount(leg, ctx);
    if (isRejection(amount)) return amount;
    const problem = checkLeg(leg, amount, ctx);
    if (problem && (leg.belowMin === 'reject' || !BELOW_MIN.includes(problem.code as PlanRejectCode))) {
      return problem;
    }
    if (problem) {
      notes.push(`${leg.leg} leg skipped: ${problem.reason}`);
      continue;
    }
    intents.push(toIntent(leg, amount, ctx));
  }
  return { intents, notes };
}

const BELOW_MIN: PlanRejectCode[] = ['below_min_amount', 'below_min_cost'];

function roundAmount(leg: RawLeg, ctx: PlanContext): number | Rejection {
  const { market, precision } = ctx.input;
  const step = market.precision.amount;
  // ccxt's amountToPrecision throws when the result would be 0; below one step is simply 0 here.
  if (leg.amount <= 0 || (step !== undefined && clean(leg.amount) < step)) return 0;
  try {
    const amount = precision.amount(market.symbol, clean(leg.amount));
    if (!Number.isFinite(amount))
      return reject('precision_error', `amount ${leg.amount} could not be rounded`);
    // Sizes must truncate: rounding up could sell more than is held or spend more than was asked.
    if (amount > clean(leg.amount) * (1 + 1e-9)) {
      return reject(
        'precision_error',
        `amount ${leg.amount} was rounded up to ${amount}; sizes must truncate`,
      );
    }
    return amount;
  } catch (error) {
    return reject(
      'precision_error',
      `amount ${leg.amount} could not be rounded: ${(error as Error).message}`,
    );
  }
}

function checkLeg(leg: RawLeg, amount: number, ctx: PlanContext): Rejection | undefined {
  const { market, risk } = ctx.input;
  const what = `${leg.leg} ${leg.side} of ${describeAmount(market, amount)}`;
  const minAmount = market.limits.amount?.min;
  if (amount <= 0) {
    return reject(
      'below_min_amount',
      `${leg.leg} ${leg.side} of ${describeAmount(market, clean(leg.amount))} rounds to 0 at the market's step ${market.precision.amount}`,
    );
  }
  if (minAmount !== undefined && amount < minAmount) {
    return reject(
      'below_min_amount',
      `${what} is under the market's minimum amount ${describeAmount(market, minAmount)}`,
    );
  }
  const maxAmount = market.limits.amount?.max;
  if (maxAmount !== undefined && amount > maxAmount) {
    return reject(
      'above_max_amount',
      `${what} is over the market's maximum amount ${describeAmount(market, maxAmount)}`,
    );
  }
  // Reduce-only derivatives orders are exempt from the exchanges' min notional; spot sales are not.
  const checkMinCost = !(ctx.derivative && leg.reduces) && market.limits.cost?.min !== undefined;
  const checkMaxCost = !leg.reduces && risk.maxOrderCost !== undefined;
  if (!checkMinCost && !checkMaxCost) return undefined;
  if (ctx.refPrice === undefined) {
    return reject(
      'price_required',
      `checking the value of the ${what} needs a price: send "price": "{{close}}"`,
    );
  }
  const cost = clean(notional(market, amount, ctx.refPrice));
  const minCost = market.limits.cost?.min;
  if (checkMinCost && minCost !== undefined && cost < minCost) {
    return reject(
      'below_min_cost',
      `order value ${cost} ${market.quote} is under the market's minimum ${minCost} ${market.quote} (${what})`,
    );
  }
  if (checkMaxCost && cost > (risk.maxOrderCost as number)) {
    return reject(
      'max_order_cost',
      `maxOrderCost ${risk.maxOrderCost} ${market.quote} exceeded: ${what} is worth ${cost} ${market.quote}`,
    );
  }
  return undefined;
}

function toIntent(leg: RawLeg, amount: number, ctx: PlanContext): OrderIntent {
  const { alert, market, signalId } = ctx.input;
  const limit = alert.orderType === 'limit';
  return {
    leg: leg.leg,
    clientOrderId: clientOrderId(signalId, leg.leg),
    symbol: market.symbol,
    side: leg.side,
    type: alert.orderType,
    amount,
    ...(limit && ctx.limitPrice !== undefined ? { price: ctx.limitPrice } : {}),
    ...(ctx.refPrice !== undefined ? { referencePrice: ctx.refPrice } : {}),
    ...(ctx.derivative && leg.reduces ? { reduceOnly: true } : {}),
    ...(limit && alert.postOnly ? { postOnly: true } : {}),
    // Market orders take what the book has; exchanges (binance) refuse a timeInForce they do not need.
    ...(limit && alert.timeInForce ? { timeInForce: alert.timeInForce } : {}),
  };
}
