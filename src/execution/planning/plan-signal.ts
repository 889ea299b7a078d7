import {
  Balances,
  ExchangeCapabilities,
  Market,
  OrderIntent,
  Position,
} from '../../exchange/exchange-session';
import { Alert } from '../../signals/alert';
import { clientOrderId } from './client-order-id';
import { Precision } from './precision';

/** What the executor fetched before planning. */
export interface Snapshot {
  balances?: Balances;
  position?: Position;
  /** The alert's reference price, else the exchange's last price. */
  price?: number;
}

export interface PlanInput {
  signalId: string;
  alert: Alert;
  market: Market;
  snapshot: Snapshot;
  capabilities: ExchangeCapabilities;
  precision: Precision;
  risk: { maxOrderCost?: number };
}

export type PlanStep =
  | { kind: 'cancel_open'; symbol: string }
  | { kind: 'set_margin_mode'; symbol: string; mode: 'isolated' | 'cross' }
  | { kind: 'set_leverage'; symbol: string; leverage: number }
  | { kind: 'order'; intent: OrderIntent };

export type Plan = { ok: true; steps: PlanStep[] } | { ok: false; code: string; reason: string };

/** What the executor must fetch for {@link planSignal}, so that it asks the exchange for nothing more. */
export function snapshotNeeds(
  alert: Alert,
  market: Market,
): { balances: boolean; position: boolean; price: boolean } {
  const derivative = market.type !== 'spot';
  const sized = alert.quantity !== undefined || alert.positionSize !== undefined;
  return {
    balances: !derivative || alert.quantityType === 'percent_of_equity',
    position: derivative,
    price: sized && alert.price === undefined && alert.action !== 'cancel',
  };
}

const reject = (code: string, reason: string): Plan => ({ ok: false, code, reason });

/**
 * Turns a signal into the steps that carry it out. Pure: (signal, market, snapshot) → steps. Every order
 * is sized to the market's precision and checked against its minimums and the account's risk limits
 * before anything is sent.
 */
export function planSignal(input: PlanInput): Plan {
  const { alert, market } = input;
  if (alert.action === 'cancel') return { ok: true, steps: [{ kind: 'cancel_open', symbol: market.symbol }] };
  if (market.type !== 'spot') return reject('not_supported', `${market.type} markets are not supported yet`);
  return planSpot(input);
}

function planSpot(input: PlanInput): Plan {
  const { alert, market, snapshot } = input;
  const holding = snapshot.balances?.[market.base]?.free ?? 0;
  const intent = spotIntent(alert);
  if (intent === 'short')
    return reject('spot_short', 'a spot account cannot open a short; use a derivatives account');
  if (intent === 'reverse') return reject('spot_reverse', 'reverse needs a derivatives account');

  let side: 'buy' | 'sell';
  let amount: number;
  if (alert.positionSize !== undefined) {
    if (alert.positionSize < 0) return reject('spot_short', 'a spot account cannot hold a negative position');
    const diff = alert.positionSize - holding;
    side = diff >= 0 ? 'buy' : 'sell';
    amount = Math.abs(diff);
    if (amount === 0) return { ok: true, steps: [] };
  } else if (intent === 'close') {
    side = 'sell';
    amount = alert.quantity === undefined ? holding : sizeOf(input, alert.quantity, holding);
    if (holding <= 0) return { ok: true, steps: [] };
    amount = Math.min(amount, holding);
  } else {
    side = intent;
    amount = sizeOf(input, alert.quantity as number, holding);
  }
  if (!Number.isFinite(amount))
    return reject('price_required', 'sizing needs a price: send "price": "{{close}}"');
  return order(input, 'open', side, amount);
}

type SpotIntent = 'buy' | 'sell' | 'close' | 'short' | 'reverse';

function spotIntent(alert: Alert): SpotIntent {
  switch (alert.action) {
    case 'buy':
    case 'long':
      return 'buy';
    case 'sell':
      return 'sell';
    case 'short':
      return 'short';
    case 'close':
      return 'close';
    case 'reverse':
      return 'reverse';
    default:
      return alert.sentiment === 'flat' ? 'close' : alert.sentiment === 'short' ? 'short' : 'buy';
  }
}

/** Base-unit size of `quantity` in the alert's `quantityType`; NaN when a needed price is missing. */
function sizeOf(input: PlanInput, quantity: number, position: number): number {
  const { alert, market, snapshot } = input;
  const price = snapshot.price ?? NaN;
  switch (alert.quantityType) {
    case 'base':
      return quantity;
    case 'quote':
      return quantity / price;
    case 'percent_of_equity':
      return ((snapshot.balances?.[market.quote]?.free ?? 0) * quantity) / 100 / price;
    case 'percent_of_position':
      return (Math.abs(position) * quantity) / 100;
  }
}

function order(input: PlanInput, leg: string, side: 'buy' | 'sell', rawAmount: number): Plan {
  const { alert, market, precision, snapshot, risk } = input;
  const amount = precision.amount(market.symbol, rawAmount);
  const price =
    alert.orderType === 'limit' && alert.price !== undefined
      ? precision.price(market.symbol, alert.price)
      : undefined;
  const refPrice = price ?? snapshot.price;
  const minAmount = market.limits.amount?.min;
  if (amount <= 0 || (minAmount !== undefined && amount < minAmount)) {
    return reject(
      'below_min_amount',
      `order size ${amount} ${market.base} is below the market minimum ${minAmount ?? 0}`,
    );
  }
  if (refPrice !== undefined) {
    const cost = amount * refPrice;
    const minCost = market.limits.cost?.min;
    if (minCost !== undefined && cost < minCost) {
      return reject(
        'below_min_cost',
        `order value ${cost} ${market.quote} is below the market minimum ${minCost}`,
      );
    }
    if (risk.maxOrderCost !== undefined && cost > risk.maxOrderCost) {
      return reject(
        'max_order_cost',
        `order value ${cost} ${market.quote} exceeds this account's maxOrderCost ${risk.maxOrderCost}`,
      );
    }
  }
  const intent: OrderIntent = {
    leg,
    clientOrderId: clientOrderId(input.signalId, leg),
    symbol: market.symbol,
    side,
    type: alert.orderType,
    amount,
    ...(price !== undefined ? { price } : {}),
    ...(refPrice !== undefined ? { referencePrice: refPrice } : {}),
    ...(alert.postOnly ? { postOnly: true } : {}),
    ...(alert.timeInForce ? { timeInForce: alert.timeInForce } : {}),
  };
  return { ok: true, steps: [{ kind: 'order', intent }] };
}
