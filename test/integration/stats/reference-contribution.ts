import { slippageBps } from '../../../src/observability/execution-observer';
import { type Alert } from '../../../src/signals/alert';
import { FINAL_STATUSES, type OrderRecord, type SignalStatus } from '../../../src/signals/signal-record';
import { strategyOf } from '../../../src/signals/strategy';
import { HISTOGRAM_FLOOR, bucketIndex } from '../../../src/stats/histogram';
import { DIMENSIONS, type Dimension, fieldName } from '../../../src/stats/stats-dimensions';

/**
 * The statistics' contribution as the JavaScript recorder computed it before the transition script took
 * it over (src/stats/stats-lua.ts): the oracle the Lua is checked against, kept unchanged.
 */

/** One increment of a signal's contribution: dimension index, field, amount, whether it is fractional. */
export type Increment = [dimension: number, field: string, amount: number, fractional: 0 | 1];

/** What statistics need of a record. */
export interface StatsRecord {
  status: SignalStatus;
  account: string;
  symbol: string;
  alert: Pick<Alert, 'timestamp' | 'price' | 'meta' | 'comment'>;
  receivedAt: number;
  orders: OrderRecord[];
}

/** Measures (the part of a field after the group). */
export const MEASURE = {
  status: (s: string) => `n:${s}`,
  /** Histogram of alert → first order sent (ms). */
  sent: (index: number) => `ls:${index}`,
  /** Histogram of alert → filled (ms), filled signals only. */
  filled: (index: number) => `lf:${index}`,
  /** Histogram of fill-weighted slippage per signal (bps, positive is worse). */
  slippage: (index: number) => `sl:${index}`,
  fills: 'fills',
  fee: (currency: string) => `fee:${currency}`,
  /** Filled cost, by quote currency. */
  volume: (currency: string) => `vol:${currency}`,
} as const;

/** The quote currency of a ccxt market symbol: `BTC/USDT` and `BTC/USDT:USDT` → `USDT`. */
export function quoteOf(symbol: string): string {
  const quote = symbol.split('/')[1] ?? '';
  return quote.split(':')[0] || symbol;
}

const own = (o: OrderRecord) => o.leg !== 'tp' && o.leg !== 'sl';

/** The moment latencies count from, as the signal's timeline does: the alert's timestamp, or its receipt. */
function originOf(record: StatsRecord): number {
  const at = record.alert.timestamp;
  return at !== undefined && at < record.receivedAt ? at : record.receivedAt;
}

/** Fill-weighted slippage (bps) of the signal's own orders against the alert's price; `undefined` if none. */
export function signalSlippageBps(record: StatsRecord): number | undefined {
  const reference = record.alert.price;
  if (reference === undefined || !(reference > 0)) return undefined;
  let weighted = 0;
  let filled = 0;
  for (const o of record.orders.filter(own)) {
    if (!(o.filled > 0) || !(o.average && o.average > 0)) continue;
    weighted += slippageBps({ side: o.side, reference, average: o.average }) * o.filled;
    filled += o.filled;
  }
  return filled > 0 ? weighted / filled : undefined;
}

/** The measures of one signal in its current state, before they are spread over the groups. */
function measures(record: StatsRecord): Array<[string, number, 0 | 1]> {
  const out: Array<[string, number, 0 | 1]> = [[MEASURE.status(record.status), 1, 0]];
  const origin = originOf(record);
  const mine = record.orders.filter(own);
  const sentAt = Math.min(...mine.map((o) => o.sentAt ?? Infinity));
  if (Number.isFinite(sentAt)) {
    out.push([MEASURE.sent(bucketIndex(sentAt - origin, HISTOGRAM_FLOOR.latencyMs)), 1, 0]);
  }
  const filledAt = Math.max(...mine.map((o) => o.filledAt ?? -Infinity));
  if (record.status === 'filled' && Number.isFinite(filledAt)) {
    out.push([MEASURE.filled(bucketIndex(filledAt - origin, HISTOGRAM_FLOOR.latencyMs)), 1, 0]);
  }
  const slippage = signalSlippageBps(record);
  if (slippage !== undefined) {
    out.push([MEASURE.slippage(bucketIndex(slippage, HISTOGRAM_FLOOR.slippageBps)), 1, 0]);
  }
  const fills = record.orders.filter((o) => o.filled > 0);
  if (fills.length > 0) out.push([MEASURE.fills, fills.length, 0]);
  const fees = new Map<string, number>();
  const volume = new Map<string, number>();
  const add = (into: Map<string, number>, currency: string, x: number) =>
    into.set(currency, (into.get(currency) ?? 0) + x);
  for (const o of fills) {
    if (o.fee && o.fee.cost !== 0) add(fees, o.fee.currency, o.fee.cost);
    add(volume, quoteOf(o.symbol), o.cost ?? o.filled * (o.average ?? 0));
  }
  for (const [currency, cost] of fees) out.push([MEASURE.fee(currency), cost, 1]);
  for (const [currency, cost] of volume) if (cost !== 0) out.push([MEASURE.volume(currency), cost, 1]);
  return out;
}

/**
 * What a signal adds to the statistics in its current state, for every group it belongs to. Only a status
 * a run ends with counts (`placed` too: it moves on to `filled` or `canceled` later, and the recorder then
 * replaces this contribution by the new one). A queued or processing signal adds nothing.
 */
export function contributionOf(record: StatsRecord): Increment[] {
  if (!FINAL_STATUSES.has(record.status)) return [];
  const groups: Record<Dimension, string> = {
    all: '',
    account: record.account,
    symbol: record.symbol,
    strategy: strategyOf(record.alert),
  };
  const out: Increment[] = [];
  for (const [measure, amount, fractional] of measures(record)) {
    DIMENSIONS.forEach((dimension, i) => {
      // A signal without a strategy belongs to no strategy group (it still counts in `all`).
      if (dimension === 'strategy' && groups.strategy === '') return;
      out.push([i, fieldName(groups[dimension], measure), amount, fractional]);
    });
  }
  return out;
}
