import { type Market } from '../../exchange/exchange-session';
import { type Alert } from '../../signals/alert';
import { type Rejection, reject } from './plan-types';
import { type SignalIntent } from './signal-intent';

/**
 * Refusals that need no snapshot: the market itself, fields that do not apply to it, and spot shorts.
 * Checked by the planner first and by {@link snapshotNeeds}, so that a refused signal fetches nothing.
 */
export function refuseUpFront(alert: Alert, market: Market, intent: SignalIntent): Rejection | undefined {
  // Cancelling resting orders stays possible on a suspended market: it only lowers risk.
  if (intent.kind === 'cancel') return undefined;
  if (market.active === false) {
    return reject(
      'market_inactive',
      `${market.symbol} is not active on the exchange (delisted or suspended)`,
    );
  }
  if (market.type === 'option')
    return reject('not_supported', `option markets (${market.symbol}) are not supported`);
  if (alert.orderType === 'limit' && alert.price === undefined) {
    return reject('price_required', 'a limit order needs "price"');
  }
  return market.type === 'spot' ? refuseOnSpot(alert, intent) : refuseOnDerivative(market);
}

function refuseOnSpot(alert: Alert, intent: SignalIntent): Rejection | undefined {
  for (const field of ['leverage', 'marginMode'] as const) {
    if (alert[field] !== undefined) {
      return reject('not_supported_on_spot', `${field} applies to derivatives only; this is a spot market`);
    }
  }
  const short = 'a spot account cannot hold a short position; use a derivatives account';
  if (intent.kind === 'reverse') return reject('spot_short', `reverse would open a short: ${short}`);
  if (intent.kind === 'enter' && intent.direction === 'short') return reject('spot_short', short);
  if (intent.kind === 'reduce' && intent.direction === 'short') {
    return reject('spot_short', `${short}; there is no short to reduce`);
  }
  if (intent.kind === 'target' && intent.target < 0) {
    return reject('spot_short', `positionSize ${intent.target} is a short: ${short}`);
  }
  return undefined;
}

function refuseOnDerivative(market: Market): Rejection | undefined {
  // Without these every size and cost would be off by the contract size, or by price for inverse.
  if (!(market.contractSize !== undefined && market.contractSize > 0) || market.linear === undefined) {
    return reject(
      'market_incomplete',
      `${market.symbol} lacks contractSize or linear/inverse in its market data; refusing to size contracts`,
    );
  }
  return undefined;
}
