import { type OrderSide } from '../../exchange/exchange-session';
import { type Alert, type Sentiment } from '../../signals/alert';
import { type Rejection, reject } from './plan-types';

export type Direction = 'long' | 'short';

/**
 * What an alert means, before the position is known. `action`, `sentiment` and `positionSize` are folded
 * into one of these so that the spot and derivatives planners, and {@link snapshotNeeds}, agree.
 */
export type SignalIntent =
  | { kind: 'cancel' }
  /** `buy`/`sell` without sentiment: a plain order of the alert's size, blind to the position. */
  | { kind: 'order'; side: OrderSide }
  /** `long`/`short` (or a matching sentiment): close the opposite side if any, then open this one. */
  | { kind: 'enter'; direction: Direction }
  /** Lower a position on this side by the alert's size, never past flat (reduce-only). */
  | { kind: 'reduce'; direction: Direction }
  /** Close the position (`only`: only if it is on that side), wholly or by the alert's size. */
  | { kind: 'close'; partial: boolean; only?: Direction }
  /** Close the position and open the opposite side; from flat only when a sentiment names the side. */
  | { kind: 'reverse'; fallback?: Direction }
  /** Trade the difference to a signed target; `up`/`down` never trade against the alert's action. */
  | { kind: 'target'; target: number; direction: 'up' | 'down' | 'both' };

export type IntentResult = { ok: true; intent: SignalIntent } | Rejection;

const ok = (intent: SignalIntent): IntentResult => ({ ok: true, intent });

const contradiction = (alert: Alert, why: string): Rejection =>
  reject(
    'contradictory_signal',
    `action ${alert.action ?? '(none)'} with sentiment ${alert.sentiment ?? '(none)'}` +
      `${alert.positionSize !== undefined ? ` and positionSize ${alert.positionSize}` : ''}: ${why}`,
  );

/**
 * Folds action, sentiment and positionSize into one {@link SignalIntent}, following TradersPost's
 * sentiment semantics: sentiment is the state after the trade, so `buy` + `flat` closes a short (and
 * never opens a long), `buy` + `short` covers part of a short, `sell` + `long` sells part of a long.
 * Contradictions (`long` + sentiment `short`) are refused rather than guessed.
 */
export function resolveIntent(alert: Alert): IntentResult {
  if (alert.action === 'cancel') return ok({ kind: 'cancel' });
  if (alert.positionSize !== undefined) return targetIntent(alert, alert.positionSize);
  const { sentiment } = alert;
  switch (alert.action) {
    case 'close':
      if (sentiment && sentiment !== 'flat') return contradiction(alert, 'close leaves the position flat');
      return ok({ kind: 'close', partial: alert.quantity !== undefined });
    case 'reverse':
      if (sentiment === 'flat') return contradiction(alert, 'reverse never leaves the position flat');
      return ok({ kind: 'reverse', ...(sentiment ? { fallback: sentiment } : {}) });
    case 'long':
    case 'short':
      if (sentiment && sentiment !== alert.action)
        return contradiction(alert, `${alert.action} leaves the position ${alert.action}`);
      return ok({ kind: 'enter', direction: alert.action });
    case 'buy':
    case 'sell':
      return sidedIntent(alert.action, sentiment, alert.reduceOnly === true);
    case 'flatten':
      // Planned by the flatten plan (account-wide), never by the per-symbol planner.
      return reject('not_supported', 'flatten is planned account-wide, not for one symbol');
    case undefined:
      if (sentiment === 'flat') return ok({ kind: 'close', partial: false });
      if (sentiment) return ok({ kind: 'enter', direction: sentiment });
      return reject('action_required', 'the alert needs an action, a sentiment or a positionSize');
  }
}

function sidedIntent(side: OrderSide, sentiment: Sentiment | undefined, reduceOnly: boolean): IntentResult {
  // The position a buy can lower is a short; a sell lowers a long.
  const lowers: Direction = side === 'buy' ? 'short' : 'long';
  const raises: Direction = side === 'buy' ? 'long' : 'short';
  if (sentiment === undefined)
    return ok(reduceOnly ? { kind: 'reduce', direction: lowers } : { kind: 'order', side });
  if (sentiment === 'flat') return ok({ kind: 'close', partial: false, only: lowers });
  if (sentiment === raises) return ok({ kind: 'enter', direction: raises });
  return ok({ kind: 'reduce', direction: lowers });
}

function targetIntent(alert: Alert, target: number): IntentResult {
  const { action, sentiment } = alert;
  const sign = Math.sign(target);
  if (sentiment === 'long' && sign <= 0)
    return contradiction(alert, 'a long sentiment needs positionSize > 0');
  if (sentiment === 'short' && sign >= 0)
    return contradiction(alert, 'a short sentiment needs positionSize < 0');
  if (sentiment === 'flat' && sign !== 0)
    return contradiction(alert, 'a flat sentiment needs positionSize 0');
  switch (action) {
    case 'reverse':
      return contradiction(alert, 'positionSize already sets the target; send it without reverse');
    case 'close':
      if (sign !== 0) return contradiction(alert, 'close needs positionSize 0');
      return ok({ kind: 'target', target: 0, direction: 'both' });
    case 'long':
      if (sign < 0) return contradiction(alert, 'long needs positionSize >= 0');
      return ok({ kind: 'target', target, direction: 'up' });
    case 'short':
      if (sign > 0) return contradiction(alert, 'short needs positionSize <= 0');
      return ok({ kind: 'target', target, direction: 'down' });
    case 'buy':
      return ok({ kind: 'target', target, direction: 'up' });
    case 'sell':
      return ok({ kind: 'target', target, direction: 'down' });
    default:
      return ok({ kind: 'target', target, direction: 'both' });
  }
}

/** Whether the intent is sized by the alert's `quantity` (in its `quantityType`). */
export function usesQuantity(intent: SignalIntent, alert: Alert): boolean {
  switch (intent.kind) {
    case 'order':
    case 'enter':
    case 'reduce':
      return true;
    case 'close':
      return intent.partial;
    case 'reverse':
      return alert.quantity !== undefined;
    default:
      return false;
  }
}

/** Whether the intent can add exposure (an opening leg), given the alert's `reduceOnly`. */
export function mayOpen(intent: SignalIntent, alert: Alert): boolean {
  if (alert.reduceOnly) return false;
  return (
    intent.kind === 'order' ||
    intent.kind === 'enter' ||
    intent.kind === 'reverse' ||
    intent.kind === 'target'
  );
}
