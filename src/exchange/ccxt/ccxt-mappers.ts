import type {
  Balances as CcxtBalances,
  MarketInterface,
  Order as CcxtOrder,
  Position as CcxtPosition,
} from 'ccxt';
import type {
  Balances,
  ExchangeOrder,
  FeeSide,
  Market,
  MarketType,
  OrderSide,
  Position,
} from '../exchange-session';
import { withoutUndefined } from '../../util/objects';

/** ccxt's `precisionMode` values (ccxt/js/src/base/functions/number). */
const DECIMAL_PLACES = 2;
/** The precision mode of most exchanges in ccxt 4, and the assumed one when an exchange does not say. */
export const TICK_SIZE = 4;

const MARKET_TYPES: ReadonlySet<string> = new Set(['spot', 'swap', 'future', 'option']);

/**
 * A ccxt market as tradehook's {@link Market}. Limits are kept as ccxt reports them. Precision is always a
 * STEP (tick size): ccxt 4 reports step sizes for most exchanges (TICK_SIZE mode) and those pass unchanged;
 * DECIMAL_PLACES counts are converted (3 → 0.001); SIGNIFICANT_DIGITS cannot be a step and is left out (use
 * the session's `amountToPrecision`/`priceToPrecision`, which apply ccxt's real rules in every mode).
 * Returns `undefined` for market types planning does not trade (margin, index, prediction…).
 */
export function toMarket(market: MarketInterface, precisionMode: number): Market | undefined {
  if (!MARKET_TYPES.has(market.type)) return undefined;
  const step = (value: number | undefined): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (precisionMode === TICK_SIZE) return value;
    if (precisionMode === DECIMAL_PLACES) return Number((10 ** -value).toPrecision(12));
    return undefined;
  };
  const limits = market.limits ?? {};
  return {
    symbol: market.symbol,
    id: market.id ?? market.symbol,
    base: market.base,
    quote: market.quote,
    ...(market.settle ? { settle: market.settle } : {}),
    type: market.type as MarketType,
    ...(market.contract ? { linear: Boolean(market.linear) } : {}),
    ...(market.contractSize !== undefined && market.contractSize !== null
      ? { contractSize: market.contractSize }
      : {}),
    // ccxt leaves `active` undefined when the exchange does not say; such markets trade.
    active: market.active !== false,
    precision: withoutUndefined({
      amount: step(market.precision?.amount),
      price: step(market.precision?.price),
    }),
    limits: withoutUndefined({
      amount: minMax(limits.amount),
      cost: minMax(limits.cost),
      price: minMax(limits.price),
    }),
    ...feesOf(market),
  };
}

const FEE_SIDES: ReadonlySet<string> = new Set(['get', 'give', 'quote', 'base', 'other']);

/**
 * The market's fee rates as ccxt knows them: the exchange's published defaults, or the account's own once
 * ccxt has fetched them. A market whose fees are not percentages (`percentage: false`: a flat fee per order)
 * has no rate. Negative rates (maker rebates) are kept as they are.
 */
function feesOf(market: MarketInterface): Pick<Market, 'taker' | 'maker' | 'feeSide'> {
  if (market.percentage === false) return {};
  const feeSide = market.feeSide;
  return withoutUndefined({
    taker: num(market.taker),
    maker: num(market.maker),
    feeSide: feeSide && FEE_SIDES.has(feeSide) ? (feeSide as FeeSide) : undefined,
  });
}

/** A ccxt order as an {@link ExchangeOrder}; `fallback` fills what a terse create-order answer leaves out. */
export function toExchangeOrder(order: CcxtOrder, fallback: Partial<ExchangeOrder> = {}): ExchangeOrder {
  const feeCost = order.fee?.cost;
  const feeCurrency = order.fee?.currency;
  return {
    id: String(order.id ?? fallback.id ?? ''),
    ...optional('clientOrderId', order.clientOrderId ?? fallback.clientOrderId),
    symbol: order.symbol ?? fallback.symbol ?? '',
    side: (order.side ?? fallback.side ?? 'buy') as OrderSide,
    type: order.type ?? fallback.type ?? 'unknown',
    amount: num(order.amount) ?? fallback.amount ?? 0,
    ...optional('price', num(order.price) ?? fallback.price),
    filled: num(order.filled) ?? fallback.filled ?? 0,
    ...optional('average', num(order.average) ?? fallback.average),
    ...optional('cost', num(order.cost) ?? fallback.cost),
    ...(num(feeCost) !== undefined && feeCurrency
      ? { fee: { cost: feeCost as number, currency: feeCurrency } }
      : {}),
    status: order.status ?? fallback.status ?? 'open',
  };
}

/** ccxt's balance structure as `{ ASSET: { free, used, total } }`, assets with nothing at all left out. */
export function toBalances(balance: CcxtBalances): Balances {
  const reserved = new Set(['info', 'timestamp', 'datetime', 'free', 'used', 'total', 'debt']);
  const result: Balances = {};
  for (const [asset, entry] of Object.entries(balance)) {
    if (reserved.has(asset) || typeof entry !== 'object' || entry === null) continue;
    const free = num(entry.free) ?? 0;
    const used = num(entry.used) ?? 0;
    const total = num(entry.total) ?? free + used;
    if (free === 0 && used === 0 && total === 0) continue;
    result[asset] = { free, used, total };
  }
  return result;
}

/**
 * The net position of `symbol` from ccxt positions (one per side in hedge mode): contracts are signed, short
 * negative; no entries (or only empty ones) means flat.
 */
export function toNetPosition(symbol: string, positions: CcxtPosition[]): Position {
  let contracts = 0;
  let entryPrice: number | undefined;
  for (const position of positions) {
    if (position.symbol !== symbol) continue;
    const size = Math.abs(num(position.contracts) ?? 0);
    if (size === 0) continue;
    contracts += position.side === 'short' ? -size : size;
    entryPrice = num(position.entryPrice) ?? entryPrice;
  }
  if (contracts === 0) return { symbol, contracts: 0, side: 'flat' };
  return { symbol, contracts, side: contracts > 0 ? 'long' : 'short', ...optional('entryPrice', entryPrice) };
}

function num(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function minMax(
  range: { min?: number; max?: number } | undefined,
): { min?: number; max?: number } | undefined {
  if (!range) return undefined;
  const result = withoutUndefined({ min: num(range.min), max: num(range.max) });
  return Object.keys(result).length ? result : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
