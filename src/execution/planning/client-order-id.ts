import { createHash } from 'node:crypto';

/** Longest leg name: `th` + 24 characters of signal + leg must fit in 32. */
export const MAX_LEG_LENGTH = 6;

/**
 * The client order id of a signal's leg: `th` + the signal id's 24 hex digits + the leg, letters and
 * digits only, at most 32 characters — within Binance's, Bybit's and OKX's rules. Deterministic, so a
 * re-run of the same signal asks the exchange for the same order instead of placing another.
 *
 * Signal ids are `sig_<24 hex>` (see `signalIdFromNonce`); any other id that would not fit is replaced by
 * 24 hex digits of its SHA-256, still deterministic and, unlike truncation, without collisions between
 * ids sharing a prefix (a collision would make one signal adopt another's order and never trade).
 *
 * @throws Error when `leg` is empty or longer than {@link MAX_LEG_LENGTH} letters/digits: a programming
 * error, since two legs sharing an id would be one order.
 */
export function clientOrderId(signalId: string, leg: string): string {
  if (!/^[A-Za-z0-9]{1,6}$/.test(leg)) {
    throw new Error(`leg "${leg}" must be 1-${MAX_LEG_LENGTH} letters or digits`);
  }
  let core = signalId.replace(/^sig_/, '').replace(/[^A-Za-z0-9]/g, '');
  if (core.length === 0 || core.length > 24 || core !== signalId.replace(/^sig_/, '')) {
    core = createHash('sha256').update(signalId).digest('hex').slice(0, 24);
  }
  return `th${core}${leg}`;
}
