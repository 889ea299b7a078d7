import { type Balances, type Market, type OrderIntent } from '../../exchange/exchange-session';
import { isInverse, notional } from './sizing';

/** Orders that need more than the account holds: what they need and what is free, in `currency`. */
export interface FundsShortfall {
  currency: string;
  needed: number;
  available: number;
}

export interface FundsCheckInput {
  intents: OrderIntent[];
  market: Market;
  balances: Balances;
  /** The price orders without a price of their own are valued at (the snapshot's). */
  price?: number;
  /** The alert's leverage: derivatives margin is checked only when it is known. */
  leverage?: number;
}

/**
 * The refusal the exchange would give for lack of funds, predicted from the balances (the planner leaves
 * this to the exchange, which has the last word). Spot: the quote the buys cost, the base the sales sell.
 * Linear derivatives: the initial margin of the orders that add exposure, when the alert sets the leverage
 * (otherwise the exchange's current leverage is unknown here and nothing is claimed). Reduce-only orders and
 * trigger orders (take-profit/stop-loss) need no funds of their own.
 */
export function fundsShortfall(input: FundsCheckInput): FundsShortfall | undefined {
  const { market, balances } = input;
  const entries = input.intents.filter((o) => !o.reduceOnly && (o.type === 'market' || o.type === 'limit'));
  const valueOf = (o: OrderIntent) => {
    const price = o.price ?? o.referencePrice ?? input.price;
    return price === undefined ? undefined : notional(market, o.amount, price);
  };
  const need = new Map<string, number>();
  const add = (currency: string, amount: number) => need.set(currency, (need.get(currency) ?? 0) + amount);
  for (const order of entries) {
    if (market.type === 'spot') {
      if (order.side === 'sell') add(market.base, order.amount);
      else {
        const value = valueOf(order);
        if (value !== undefined) add(market.quote, value);
      }
    } else if (!isInverse(market) && input.leverage !== undefined) {
      const value = valueOf(order);
      if (value !== undefined) add(market.settle ?? market.quote, value / input.leverage);
    }
  }
  for (const [currency, needed] of need) {
    const available = balances[currency]?.free ?? 0;
    if (needed > available) return { currency, needed, available };
  }
  return undefined;
}
