import { type Market } from '../../exchange/exchange-session';
import { type Alert } from '../../signals/alert';
import { type SignalIntent, mayOpen, resolveIntent, usesQuantity } from './signal-intent';
import { isInverse } from './sizing';
import { refuseUpFront } from './up-front-checks';

/** What the executor must fetch before {@link planSignal}; everything else it must not ask the exchange. */
export interface SnapshotNeeds {
  /** `fetchBalance`: the spot holding, or the balance percent_of_equity refers to. */
  balances: boolean;
  /** `fetchPosition(market.symbol)`: derivatives, whenever the position changes what is traded. */
  position: boolean;
  /** `fetchPrice`: only when the alert carries no `price` and sizing or a check needs one. */
  price: boolean;
}

const NONE: SnapshotNeeds = { balances: false, position: false, price: false };

/**
 * Exactly what to fetch for this alert on this market, derived from the same intent the planner uses.
 * The planner refuses (`snapshot_incomplete`) rather than assume a missing position is flat.
 *
 * - cancel, or an alert the planner will refuse anyway: nothing.
 * - derivatives: the position for everything except a plain buy/sell not sized by percent_of_position;
 *   the balance only for percent_of_equity; a price when an opening leg is possible (min cost,
 *   maxOrderCost, percent TP/SL) or sizing by quote/percent_of_equity, or base units on an inverse market,
 *   needs one. A pure close is reduce-only and needs no price.
 * - spot: the balance to sell from (close, partial exits, positionSize, percent sizes); a price always,
 *   because every spot order, sales included, is checked against the market's min cost.
 */
export function snapshotNeeds(alert: Alert, market: Market): SnapshotNeeds {
  const resolved = resolveIntent(alert);
  if (!resolved.ok || resolved.intent.kind === 'cancel') return NONE;
  const intent = resolved.intent;
  if (refuseUpFront(alert, market, intent)) return NONE;
  const sized = usesQuantity(intent, alert);
  const unpriced = alert.price === undefined;
  if (market.type === 'spot') {
    // Closing a short that spot cannot hold is nothing to do, and needs nothing.
    if (intent.kind === 'close' && intent.only === 'short') return NONE;
    return { balances: spotNeedsBalance(intent, alert, sized), position: false, price: unpriced };
  }
  // Base units become contracts of an inverse market at a price (sizes, and positionSize targets).
  const baseOnInverse =
    alert.quantityType === 'base' && isInverse(market) && (sized || intent.kind === 'target');
  const sizingNeedsPrice =
    baseOnInverse ||
    (sized && (alert.quantityType === 'quote' || alert.quantityType === 'percent_of_equity'));
  return {
    balances: sized && alert.quantityType === 'percent_of_equity',
    position: !(intent.kind === 'order' && alert.quantityType !== 'percent_of_position'),
    price: unpriced && (mayOpen(intent, alert) || sizingNeedsPrice),
  };
}

function spotNeedsBalance(intent: SignalIntent, alert: Alert, sized: boolean): boolean {
  if (sized && alert.quantityType.startsWith('percent')) return true;
  return intent.kind === 'reduce' || intent.kind === 'close' || intent.kind === 'target';
}
