import { SIGNAL_PARTITIONS, partitionOf } from '../src/queue/partitions';
import { EXTRA_SPOT_LISTINGS } from '../test/support/fake-exchange/binance-markets';

/** What the engine benchmark trades: its symbols, account and alert bodies. */

/** BTCUSDT, ETHUSDT and this many extra spot pairs. */
const EXTRA_SYMBOLS = 18;
/** Order size: about this many USDT, rounded up to the pair's step. */
const ORDER_USDT = 20;
const STEP_SIZES: Record<string, string> = { BTCUSDT: '0.00001', ETHUSDT: '0.0001' };
export const FINAL_WAIT_MS = 120_000;
export const IDLE_BASELINE_MS = 2_000;
export const CPU_SAMPLE_MS = 100;
export const LOOP_RESOLUTION_MS = 2;

/** A market buy, quantity in base (about ORDER_USDT), price given: no balance or price fetch needed. */
export function alertBody(symbol: string, price: number): string {
  const step = STEP_SIZES[symbol] ?? EXTRA_SPOT_LISTINGS[symbol].stepSize;
  const decimals = Math.max(0, -Math.floor(Math.log10(Number(step)) + 1e-9));
  const quantity = Math.ceil(ORDER_USDT / price / Number(step)) * Number(step);
  return JSON.stringify({
    symbol,
    action: 'buy',
    quantity: quantity.toFixed(decimals),
    price: String(price),
  });
}

/**
 * The first account id (`bench0`, `bench1`…) that spreads the symbols over every partition as evenly as their
 * number allows, so that throughput measures the engine's 8-way concurrency rather than a hashing accident.
 */
export function balancedAccount(symbols: string[]): string {
  const most = Math.ceil(symbols.length / SIGNAL_PARTITIONS);
  for (let i = 0; i < 100_000; i++) {
    const id = `bench${i}`;
    const counts = symbolsByPartition(id, symbols).map((s) => s.length);
    if (counts.every((c) => c > 0 && c <= most)) return id;
  }
  throw new Error('no account id spreads the symbols over every partition');
}

/** Per partition, the indices (into `symbols`) of the symbols it holds for `account`. */
export function symbolsByPartition(account: string, symbols: string[]): number[][] {
  const by: number[][] = Array.from({ length: SIGNAL_PARTITIONS }, () => []);
  symbols.forEach((symbol, i) => by[partitionOf(account, symbol)].push(i));
  return by;
}

/** `count` symbol indices: round-robin over the partitions, and over each partition's symbols. */
export function balancedSequence(count: number, byPartition: number[][]): number[] {
  const used = byPartition.filter((s) => s.length > 0);
  const turn = used.map(() => 0);
  return Array.from({ length: count }, (_, k) => {
    const p = k % used.length;
    return used[p][turn[p]++ % used[p].length];
  });
}

/** BTCUSDT, ETHUSDT and EXTRA_SYMBOLS more spot pairs of the fake. */
export function benchSymbols(): string[] {
  return ['BTCUSDT', 'ETHUSDT', ...Object.keys(EXTRA_SPOT_LISTINGS).slice(0, EXTRA_SYMBOLS)];
}
