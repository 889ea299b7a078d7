import type { Exchange, Order as CcxtOrder, Position as CcxtPosition } from 'ccxt';
import type { ExchangeOrder, MarketMap, Position } from '../exchange-session';
import { toExchangeOrder, toNetPosition } from './ccxt-mappers';
import type { ExchangeTraits } from './exchange-traits';
import type { ReadCall } from './order-lookup';

/** One family of markets an account-wide listing is asked for: ccxt's `type`/`subType` params. */
interface MarketKind {
  type: 'spot' | 'swap' | 'future';
  subType?: 'inverse';
}

/**
 * The market families present in `markets`: an account-wide list call (no symbol) answers one family at a
 * time on most exchanges (Binance: spot, USDⓈ-M, COIN-M are separate APIs). Linear is ccxt's default subType
 * and is not sent (on Binance it would leak into unrelated requests).
 */
export function marketKinds(markets: MarketMap): MarketKind[] {
  const kinds = new Map<string, MarketKind>();
  for (const market of Object.values(markets)) {
    if (market.type === 'option') continue;
    const kind: MarketKind =
      market.type === 'spot'
        ? { type: 'spot' }
        : { type: market.type, ...(market.linear === false ? { subType: 'inverse' as const } : {}) };
    kinds.set(`${kind.type}/${kind.subType ?? ''}`, kind);
  }
  return [...kinds.values()];
}

/** Every open (non-flat) derivatives position of the account, one net position per symbol. */
export async function listPositions(
  exchange: Exchange,
  markets: MarketMap,
  read: ReadCall,
): Promise<Position[]> {
  if (!exchange.has.fetchPositions) return [];
  const raw: CcxtPosition[] = [];
  for (const kind of marketKinds(markets).filter((k) => k.type !== 'spot')) {
    raw.push(...(await read(() => exchange.fetchPositions(undefined, { ...kind }))));
  }
  const symbols = [...new Set(raw.map((p) => p.symbol).filter((s): s is string => !!s))];
  return symbols
    .map((symbol) => {
      const position = toNetPosition(symbol, raw);
      const pnl = raw
        .filter((p) => p.symbol === symbol && typeof p.unrealizedPnl === 'number')
        .reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
      return {
        ...position,
        ...(raw.some((p) => p.symbol === symbol && typeof p.unrealizedPnl === 'number')
          ? { unrealizedPnl: pnl }
          : {}),
      };
    })
    .filter((p) => p.contracts !== 0)
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/**
 * Every open order of the account, in every market family, conditional orders included where the exchange
 * keeps them in a separate book. Binance asks callers to acknowledge that an unfiltered list is costly
 * (`warnOnFetchOpenOrdersWithoutSymbol`): this listing is the deliberate, rate-limited exception.
 */
export async function listOpenOrders(
  exchange: Exchange,
  traits: ExchangeTraits,
  markets: MarketMap,
  read: ReadCall,
): Promise<ExchangeOrder[]> {
  exchange.options.warnOnFetchOpenOrdersWithoutSymbol = false;
  const orders: CcxtOrder[] = [];
  for (const kind of marketKinds(markets)) {
    // Inverse contracts (Binance COIN-M) keep conditional orders in the regular book; the separate trigger book
    // is the linear contracts' (Binance USDⓈ-M algo orders, Bybit/OKX conditional orders).
    const separate = traits.separateTriggerBook && kind.type !== 'spot' && kind.subType !== 'inverse';
    const books: Record<string, unknown>[] = separate ? [{}, { trigger: true }] : [{}];
    for (const extra of books) {
      orders.push(
        ...(await read(() =>
          exchange.fetchOpenOrders(undefined, undefined, undefined, { ...kind, ...extra }),
        )),
      );
    }
  }
  const seen = new Set<string>();
  return orders
    .filter((o) => {
      const id = String(o.id);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((o) => toExchangeOrder(o));
}
