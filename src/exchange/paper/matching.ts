import { type Dec, dec, minDec, str } from './decimal';
import { type Ledger } from './ledger';
import { endOrder, fillOrder, reducible } from './order-execution';
import { type PaperOrder, openOrdersOf } from './paper-book';

/**
 * The price a resting order fills at when the market trades at `price`, or `undefined` when it does not cross.
 * A limit fills at its limit (it was on the book: a gap through it does not improve it); a market trigger fills
 * at its trigger price. Stops trigger on the losing side (a sell stop at or below), take-profits on the winning.
 */
export function fillPriceAt(order: PaperOrder, price: Dec): Dec | undefined {
  const buy = order.side === 'buy';
  switch (order.type) {
    case 'limit': {
      const limit = dec(order.price);
      return (buy ? price.lte(limit) : price.gte(limit)) ? limit : undefined;
    }
    case 'stop_market': {
      const trigger = dec(order.triggerPrice);
      return (buy ? price.gte(trigger) : price.lte(trigger)) ? trigger : undefined;
    }
    case 'take_profit_market': {
      const trigger = dec(order.triggerPrice);
      return (buy ? price.lte(trigger) : price.gte(trigger)) ? trigger : undefined;
    }
    case 'market':
      return price;
  }
}

/**
 * Records `price` as the symbol's market price and fills every resting order it crosses. When the price moved
 * from a known one, orders fill in the order the market reached them (nearest the previous price first), so a
 * stop and a take-profit can never both fill on one move; orders at one price fill first come, first served.
 * Returns the orders that changed.
 */
export function observePrice(ledger: Ledger, symbol: string, price: Dec): PaperOrder[] {
  const previous = ledger.price(symbol);
  ledger.book.prices[symbol] = str(price);
  const crossed = openOrdersOf(ledger.book, symbol)
    .map((order) => ({ order, at: fillPriceAt(order, price) }))
    .filter((c): c is { order: PaperOrder; at: Dec } => c.at !== undefined);
  if (previous) {
    crossed.sort(
      (a, b) =>
        a.at.minus(previous).abs().comparedTo(b.at.minus(previous).abs()) || a.order.seq - b.order.seq,
    );
  }
  const changed: PaperOrder[] = [];
  for (const { order, at } of crossed) {
    // An earlier fill may have closed the position and with it this (reduce-only) order.
    if (ledger.book.open[order.clientOrderId] !== order) continue;
    changed.push(fillResting(ledger, order, at));
  }
  return changed;
}

function fillResting(ledger: Ledger, order: PaperOrder, price: Dec): PaperOrder {
  const amount = dec(order.amount).minus(order.filled);
  if (!order.reduceOnly) return fillOrder(ledger, order, { amount, price });
  const room = reducible(ledger, ledger.instrument(order.symbol), order.side);
  if (room.isZero()) {
    return endOrder(ledger, order, { status: 'canceled', note: 'reduce-only: no position left to reduce' });
  }
  const filled = minDec(amount, room);
  return fillOrder(ledger, order, {
    amount: filled,
    price,
    ...(filled.lessThan(amount)
      ? { note: `reduce-only: filled ${str(filled)} of ${str(amount)}, all the position held` }
      : {}),
  });
}
