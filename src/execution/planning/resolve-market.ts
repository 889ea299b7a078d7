import { editDistance } from '../../util/edit-distance';
import { type Market, type MarketMap } from '../../exchange/exchange-session';

/** Quote currencies tried, longest first, when a symbol is written without a separator (`BTCUSDT`). */
const KNOWN_QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'USDE',
  'DAI',
  'USD',
  'EUR',
  'GBP',
  'TRY',
  'BTC',
  'ETH',
  'BNB',
];

export interface ResolveOptions {
  /** Market type an unmarked symbol means (`BTCUSDT` on a futures account is the perpetual). */
  defaultType: 'spot' | 'swap';
  /** Simulators that trade any pair build the market here (spot, or the linear perpetual for `swap`). */
  syntheticMarket?: (base: string, quote: string, type: 'spot' | 'swap') => Market;
}

export type ResolveResult =
  { ok: true; market: Market } | { ok: false; code: 'unknown_symbol'; reason: string; candidates: string[] };

type Wanted = 'spot' | 'swap';

/**
 * Maps an alert's symbol to a loaded market. Pure: no I/O.
 *
 * Accepted: `BTCUSDT`, `BINANCE:BTCUSDT` (exchange prefix ignored), `BTCUSDT.P` (TradingView's
 * perpetual: the swap, whatever the account's default), `BTC/USDT`, `BTC-USDT`, `BTC_USDT`, exchange ids
 * (`BTC-USDT-SWAP`, `BTCUSD_PERP`) and fully qualified ccxt symbols (`BTC/USDT:USDT`, taken as written).
 * Anything not fully qualified means the account's `defaultType`: on a swap account `BTCUSDT` and
 * `BTC/USDT` are the linear perpetual `BTC/USDT:USDT` (else the one swap of that pair, e.g. inverse
 * `BTC/USD:BTC`); a spot account never silently trades a perpetual, nor a swap account spot.
 *
 * Unknown symbols are refused with the closest listed symbols in the reason. Inactive (delisted or
 * suspended) markets resolve like any other: the planner decides (orders refused, a cancel allowed).
 */
export function resolveMarket(text: string, markets: MarketMap, options: ResolveOptions): ResolveResult {
  let s = text.trim().toUpperCase();
  const colon = s.indexOf(':');
  // `EXCHANGE:SYMBOL` (TradingView) has no `/` before the colon; `BTC/USDT:USDT` (ccxt) does.
  if (colon >= 0 && !s.slice(0, colon).includes('/')) s = s.slice(colon + 1);
  const perpetual = s.endsWith('.P');
  if (perpetual) s = s.slice(0, -2);
  const wanted: Wanted = perpetual || options.defaultType === 'swap' ? 'swap' : 'spot';
  const index = new Map(Object.values(markets).map((m) => [m.symbol.toUpperCase(), m]));

  let found: Market | undefined;
  let lookedFor = s;
  if (s.includes(':')) {
    found = index.get(s) ?? synthesiseQualified(s, options);
  } else {
    found = byId(s, markets, wanted);
    const pair = found ? undefined : splitPair(s, markets);
    if (pair) {
      lookedFor = wanted === 'swap' ? `${pair[0]}/${pair[1]}:${pair[1]}` : `${pair[0]}/${pair[1]}`;
      found = byPair(pair, index, markets, wanted);
      if (!found && options.syntheticMarket) {
        const built = options.syntheticMarket(pair[0], pair[1], wanted);
        if (typeMatches(built, wanted)) found = built;
      }
    }
  }
  if (!found) return notFound(text, lookedFor, markets);
  // An inactive market resolves too: the planner refuses orders on it, but a cancel must still reach
  // the orders resting there.
  return { ok: true, market: found };
}

/** `BTC/USDT:USDT` from a simulator: the linear perpetual, settled in its quote (no inverse contracts). */
function synthesiseQualified(s: string, options: ResolveOptions): Market | undefined {
  const match = /^([A-Z0-9]+)\/([A-Z0-9]+):([A-Z0-9]+)$/.exec(s);
  if (!match || !options.syntheticMarket || match[2] !== match[3]) return undefined;
  const built = options.syntheticMarket(match[1], match[2], 'swap');
  return built.symbol.toUpperCase() === s ? built : undefined;
}

const typeMatches = (market: Market, wanted: Wanted) =>
  wanted === 'swap' ? market.type === 'swap' : market.type === 'spot';

const alnum = (x: string) => x.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * An exchange-native id (`BTCUSDT`, `BTC-USDT-SWAP`, `BTCUSD_PERP`) among markets of the wanted type.
 * An id of another type counts only when it says more than base + quote (`BTC-USDT-SWAP` names the swap;
 * `BTCUSDT` is both binance's spot and perpetual id, so it follows the account's default).
 */
function byId(s: string, markets: MarketMap, wanted: Wanted): Market | undefined {
  const key = alnum(s);
  const all = Object.values(markets).filter((m) => alnum(m.id) === key);
  const ofType = all.find((m) => typeMatches(m, wanted));
  if (ofType) return ofType;
  const explicit = all.filter((m) => alnum(m.id) !== alnum(m.base + m.quote));
  return explicit.length === 1 ? explicit[0] : undefined;
}

function byPair(
  [base, quote]: [string, string],
  index: Map<string, Market>,
  markets: MarketMap,
  wanted: Wanted,
): Market | undefined {
  if (wanted === 'spot') return index.get(`${base}/${quote}`);
  const linear = index.get(`${base}/${quote}:${quote}`);
  if (linear) return linear;
  // Inverse perpetuals settle in the base (`BTC/USD:BTC`); take one only when it is the only swap.
  const swaps = Object.values(markets).filter(
    (m) => m.type === 'swap' && m.base.toUpperCase() === base && m.quote.toUpperCase() === quote,
  );
  return swaps.length === 1 ? swaps[0] : undefined;
}

/** `BTC/USDT`, `BTC-USDT`, `BTC_USDT` split on the separator; `BTCUSDT` by market ids, then known quotes. */
function splitPair(s: string, markets: MarketMap): [string, string] | undefined {
  const parts = s.split(/[/_-]/);
  if (parts.length === 2 && parts[0] && parts[1]) return [parts[0], parts[1]];
  if (parts.length !== 1) return undefined;
  for (const market of Object.values(markets)) {
    if (alnum(market.id) === s) return [market.base.toUpperCase(), market.quote.toUpperCase()];
  }
  for (const quote of KNOWN_QUOTES) {
    if (s.length > quote.length && s.endsWith(quote)) return [s.slice(0, -quote.length), quote];
  }
  return undefined;
}

function notFound(text: string, wanted: string, markets: MarketMap): ResolveResult {
  const candidates = closest(wanted, Object.keys(markets), 3);
  const hint = candidates.length > 0 ? `; closest: ${candidates.join(', ')}` : '';
  return {
    ok: false,
    code: 'unknown_symbol',
    reason: `unknown symbol "${text}" (looked for ${wanted})${hint}`,
    candidates,
  };
}

function closest(wanted: string, symbols: string[], n: number): string[] {
  const target = alnum(wanted);
  return (
    symbols
      // The settle suffix is compared both ways, so that `BTC/USDT` suggests `BTC/USDT:USDT` and back.
      .map((symbol) => ({
        symbol,
        d: Math.min(editDistance(target, alnum(symbol)), editDistance(target, alnum(symbol.split(':')[0]))),
      }))
      .sort((a, b) => a.d - b.d || a.symbol.localeCompare(b.symbol))
      .slice(0, n)
      .filter((c) => c.d <= Math.max(3, target.length / 2))
      .map((c) => c.symbol)
  );
}
