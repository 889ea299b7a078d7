/**
 * One signal on the order watch list: its orders rest on the book, or one of them has an unknown fate.
 * What to check (account, orders, plan) is read from the signal's record; the item only says since when
 * and how often it was checked, for the backoff.
 */
export interface WatchItem {
  /** When the signal was handed to the watch (epoch ms). */
  since: number;
  /** Checks done so far. */
  checks: number;
}
