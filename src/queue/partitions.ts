import { createHash } from 'node:crypto';

/**
 * Signals are spread over this many BullMQ queues, each processed by at most one job at a time across
 * every worker process (global concurrency 1). All signals of one account and symbol land in the same
 * partition, so they execute strictly in arrival order while other symbols run in parallel.
 *
 * A constant, not a setting: web and worker processes must agree on it, and changing it while signals
 * wait would break their order. 8 partitions keep a worker process at 8 blocking Redis connections,
 * within Heroku Redis's smaller plans.
 */
export const SIGNAL_PARTITIONS = 8;

/** BullMQ queue name of a partition (BullMQ forbids `:` in names). */
export function signalQueueName(partition: number): string {
  return `signals-${partition}`;
}

/**
 * The textual identity of a symbol, before any market is known: exchange prefix, perpetual suffixes and
 * separators removed (`BINANCE:BTCUSDT.P`, `BTC/USDT:USDT` and `btc-usdt` are all `BTCUSDT`). Spot and
 * perpetual of one pair share a key; that only costs them parallelism, never order.
 */
export function symbolKey(symbol: string): string {
  let s = symbol.trim().toUpperCase();
  const colon = s.indexOf(':');
  // `EXCHANGE:SYMBOL` (TradingView) has no `/` before the colon; `BTC/USDT:USDT` (ccxt) does.
  if (colon >= 0 && !s.slice(0, colon).includes('/')) s = s.slice(colon + 1);
  s = s.replace(/\.P$/, '').replace(/:[A-Z0-9]+$/, '');
  return s.replace(/[^A-Z0-9]/g, '');
}

/** Partitions already computed, by account, then symbol as sent (a hash per alert showed in a burst's profile). */
const partitions = new Map<string, Map<string, number>>();
/** Symbol spellings kept per account; past it that account's memo starts over (a live system has far fewer). */
const MEMO_LIMIT = 10_000;

/** The partition of an account's symbol. */
export function partitionOf(account: string, symbol: string): number {
  let memo = partitions.get(account);
  if (memo === undefined) partitions.set(account, (memo = new Map()));
  let partition = memo.get(symbol);
  if (partition === undefined) {
    partition = hashPartition(account, symbol);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(symbol, partition);
  }
  return partition;
}

/** {@link partitionOf} computed afresh: the first 4 bytes of SHA-256 over account and symbol key. */
export function hashPartition(account: string, symbol: string): number {
  const digest = createHash('sha256')
    .update(`${account}\n${symbolKey(symbol)}`)
    .digest();
  return digest.readUInt32BE(0) % SIGNAL_PARTITIONS;
}
