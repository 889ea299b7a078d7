import { type Market } from '../../exchange/exchange-session';
import { type Rejection, type Snapshot, reject } from './plan-types';

/**
 * The signed position in contracts (short < 0). A missing or ambiguous position is a rejection, never
 * "flat": assuming flat would open a second position on top of one we could not see.
 */
export function signedPosition(market: Market, snapshot: Snapshot): number | Rejection {
  const position = snapshot.position;
  if (!position) return reject('snapshot_incomplete', `the position in ${market.symbol} was not fetched`);
  if (position.symbol !== market.symbol) {
    return reject('position_mismatch', `fetched the position of ${position.symbol}, not of ${market.symbol}`);
  }
  const contracts = Math.abs(position.contracts);
  if (!Number.isFinite(contracts)) {
    return reject('snapshot_incomplete', `the position in ${market.symbol} has no size`);
  }
  if (position.side === 'long') return contracts;
  if (position.side === 'short') return -contracts;
  if (contracts === 0) return 0;
  return reject(
    'snapshot_incomplete',
    `the exchange reports ${market.symbol} as flat with ${position.contracts} contracts; refusing to guess`,
  );
}

/** A spot holding of the base currency. */
export interface Holding {
  /** What can be sold now. */
  free: number;
  /** Including what open orders hold: the position as a strategy sees it. */
  total: number;
}

/** The base-currency holding on spot; a currency absent from the balances (ccxt omits zeros) is 0. */
export function spotHolding(market: Market, snapshot: Snapshot): Holding | Rejection {
  if (!snapshot.balances) return reject('snapshot_incomplete', `the ${market.base} balance was not fetched`);
  const entry = snapshot.balances[market.base];
  const free = entry?.free ?? 0;
  return { free, total: Math.max(entry?.total ?? free, free) };
}
