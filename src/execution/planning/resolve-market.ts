import { editDistance } from '../../util/edit-distance';
import { Market, MarketMap } from '../../exchange/exchange-session';

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
  /** Simulators that trade any pair build the market here. */
  syntheticMarket?: (base: string, quote: string) => Market;
}

export type ResolveResult =
  { ok: true; market: Market } | { ok: false; reason: string; candidates: string[] };

/**
 * Maps an alert's symbol to a loaded market. Accepts `BTCUSDT`, `BINANCE:BTCUSDT`, `BTCUSDT.P` (linear
 * perpetual), `BTC/USDT`, `BTC/USDT:USDT`, `BTC-USDT`. Pure: no I/O.
 */
export function resolveMarket(text: string, markets: MarketMap, options: ResolveOptions): ResolveResult {
  let s = text.trim().toUpperCase();
  const colon = s.indexOf(':');
  if (colon >= 0 && !s.slice(0, colon).includes('/')) s = s.slice(colon + 1);
  const perpetual = s.endsWith('.P');
  if (perpetual) s = s.slice(0, -2);
  const wantSwap = perpetual || options.defaultType === 'swap';

  if (s.includes(':')) {
    const market = markets[s];
    return market ? { ok: true, market } : notFound(text, s, markets);
  }
  const pair = splitPair(s, markets);
  if (pair) {
    const [base, quote] = pair;
    const symbol = wantSwap ? `${base}/${quote}:${quote}` : `${base}/${quote}`;
    const market = markets[symbol];
    if (market) return { ok: true, market };
    if (!wantSwap && options.syntheticMarket)
      return { ok: true, market: options.syntheticMarket(base, quote) };
    return notFound(text, symbol, markets);
  }
  return notFound(text, s, markets);
}

/** `BTC/USDT`, `BTC-USDT`, `BTC_USDT` split on the separator; `BTCUSDT` by market ids, then known quotes. */
function splitPair(s: string, markets: MarketMap): [string, string] | undefined {
  const parts = s.split(/[/_-]/);
  if (parts.length === 2 && parts[0] && parts[1]) return [parts[0], parts[1]];
  if (parts.length !== 1) return undefined;
  for (const market of Object.values(markets)) {
    if (market.id.toUpperCase().replace(/[^A-Z0-9]/g, '') === s) return [market.base, market.quote];
  }
  for (const quote of KNOWN_QUOTES) {
    if (s.length > quote.length && s.endsWith(quote)) return [s.slice(0, -quote.length), quote];
  }
  return undefined;
}

function notFound(text: string, wanted: string, markets: MarketMap): ResolveResult {
  const candidates = closest(wanted, Object.keys(markets), 3);
  const hint = candidates.length > 0 ? `; closest: ${candidates.join(', ')}` : '';
  return { ok: false, reason: `unknown symbol "${text}" (looked for ${wanted})${hint}`, candidates };
}

function closest(wanted: string, symbols: string[], n: number): string[] {
  const flat = (x: string) => x.replace(/[^A-Z0-9]/g, '');
  return symbols
    .map((symbol) => ({ symbol, d: editDistance(flat(wanted), flat(symbol)) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, n)
    .filter((c) => c.d <= Math.max(3, flat(wanted).length / 2))
    .map((c) => c.symbol);
}
