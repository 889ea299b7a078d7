import { type Balances, type Market, type OrderIntent } from '../../exchange/exchange-session';
import { feeRateOf, spotFeeCurrency } from './fees';
import { isInverse, notional } from './sizing';

/** Orders that need more than the account holds: what they need and what is free, in `currency`. */
export interface FundsShortfall {
  currency: string;
  /** Fees included. */
  needed: number;
  available: number;
  /** The part of `needed` that is fees (0 when the market gives no rate or fees are taken elsewhere). */
  fees: number;
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
 *
 * Fees count where the market gives a rate (taker for market orders, maker for limit orders): on spot, a fee
 * charged on top of what an order gives (a buy's quote, or a sale's base when the market takes fees from what
 * is given) is needed too, while a fee taken out of what it gets needs nothing; on derivatives the opening fee
 * is paid from the same settle balance as the margin. Without a rate, fees are left out.
 */
export function fundsShortfall(input: FundsCheckInput): FundsShortfall | undefined {
  const { market, balances } = input;
  const entries = input.intents.filter((o) => !o.reduceOnly && (o.type === 'market' || o.type === 'limit'));
  const valueOf = (o: OrderIntent) => {
    const price = o.price ?? o.referencePrice ?? input.price;
    return price === undefined ? undefined : notional(market, o.amount, price);
  };
  // A rebate (negative maker rate) is paid after the fill: it lowers no requirement.
  const rateOf = (o: OrderIntent) => Math.max(0, feeRateOf(market, o) ?? 0);
  const need = new Map<string, { needed: number; fees: number }>();
  const add = (currency: string, amount: number, fee = 0) => {
    const sum = need.get(currency) ?? { needed: 0, fees: 0 };
    need.set(currency, { needed: sum.needed + amount + fee, fees: sum.fees + fee });
  };
  for (const order of entries) {
    const rate = rateOf(order);
    if (market.type === 'spot' && order.side === 'sell') {
      add(market.base, order.amount, spotFeeCurrency(market, 'sell') === 'base' ? order.amount * rate : 0);
      continue;
    }
    const value = valueOf(order);
    if (value === undefined) continue;
    if (market.type === 'spot') {
      add(market.quote, value, spotFeeCurrency(market, 'buy') === 'quote' ? value * rate : 0);
    } else if (!isInverse(market) && input.leverage !== undefined) {
      add(market.settle ?? market.quote, value / input.leverage, value * rate);
    }
  }
  for (const [currency, { needed, fees }] of need) {
    const available = balances[currency]?.free ?? 0;
    if (needed > available) return { currency, needed, available, fees };
  }
  return undefined;
}
