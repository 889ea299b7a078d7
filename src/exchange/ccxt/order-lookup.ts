import type { Exchange, Order as CcxtOrder } from 'ccxt';
import { AppError } from '../../errors/app-error';
import type { Market } from '../exchange-session';
import type { ExchangeTraits } from './exchange-traits';

/** Runs one exchange call under the account's read policy. */
export type ReadCall = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Finds an order by client order id, open or done, following the exchange's traits: an exact `fetchOrder`,
 * filtered open/closed lists, or a client-side scan. On contract markets of exchanges that keep conditional
 * orders in a separate book, that book is searched too. `undefined` when the exchange has no such order.
 */
export async function lookUpOrder(
  exchange: Exchange,
  traits: ExchangeTraits,
  market: Market,
  clientOrderId: string,
  read: ReadCall,
): Promise<CcxtOrder | undefined> {
  const books: Record<string, unknown>[] =
    traits.separateTriggerBook && market.type !== 'spot' ? [{}, { trigger: true }] : [{}];
  for (const extra of books) {
    const found = await lookUpIn(exchange, traits, market.symbol, clientOrderId, extra, read);
    if (found) return found;
  }
  return undefined;
}

async function lookUpIn(
  exchange: Exchange,
  traits: ExchangeTraits,
  symbol: string,
  clientOrderId: string,
  extra: Record<string, unknown>,
  read: ReadCall,
): Promise<CcxtOrder | undefined> {
  const lookup = traits.clientIdLookup;
  const matches = (order: CcxtOrder): boolean => order.clientOrderId === clientOrderId;
  switch (lookup.kind) {
    case 'fetchOrder': {
      // The order id argument is ignored when a client id param is given (Binance, OKX).
      const params = { ...extra, [lookup.param]: clientOrderId };
      return notFoundAsUndefined(read(() => exchange.fetchOrder('', symbol, params)));
    }
    case 'filteredLists': {
      const params = { ...extra, [lookup.param]: clientOrderId };
      const open = await read(() => exchange.fetchOpenOrders(symbol, undefined, undefined, params));
      const openMatch = open.find(matches);
      if (openMatch) return openMatch;
      const done = await read(() => fetchDoneOrders(exchange, symbol, params));
      return done.find(matches);
    }
    case 'scan': {
      if (exchange.has.fetchOpenOrders) {
        const open = await read(() => exchange.fetchOpenOrders(symbol, undefined, undefined, extra));
        const openMatch = open.find(matches);
        if (openMatch) return openMatch;
      }
      const done = await read(() => fetchDoneOrders(exchange, symbol, extra));
      return done.find(matches);
    }
  }
}

/** Canceled orders count as "placed once" too, so prefer the list that includes them. */
function fetchDoneOrders(
  exchange: Exchange,
  symbol: string,
  params: Record<string, unknown>,
): Promise<CcxtOrder[]> {
  if (exchange.has.fetchCanceledAndClosedOrders) {
    return exchange.fetchCanceledAndClosedOrders(symbol, undefined, undefined, params);
  }
  if (exchange.has.fetchClosedOrders) return exchange.fetchClosedOrders(symbol, undefined, undefined, params);
  if (exchange.has.fetchOrders) return exchange.fetchOrders(symbol, undefined, undefined, params);
  return Promise.resolve([]);
}

async function notFoundAsUndefined(call: Promise<CcxtOrder>): Promise<CcxtOrder | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof AppError && error.code === 'order_not_found') return undefined;
    throw error;
  }
}
