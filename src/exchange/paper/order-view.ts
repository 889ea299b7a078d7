import { type ExchangeOrder, type Position } from '../exchange-session';
import { dec, num } from './decimal';
import { type PaperBook, type PaperOrder } from './paper-book';

/** An order as the port reports it (ccxt's vocabulary); a trigger order's `price` is its trigger price. */
export function toExchangeOrder(order: PaperOrder): ExchangeOrder {
  const price = order.price ?? order.triggerPrice ?? order.average;
  return {
    id: order.id,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: num(order.amount),
    ...(price !== undefined ? { price: num(price) } : {}),
    filled: num(order.filled),
    ...(order.average !== undefined ? { average: num(order.average) } : {}),
    cost: num(order.cost),
    fee: { cost: num(order.fee), currency: order.feeCurrency },
    status: order.status,
  };
}

/**
 * The signed position of a symbol; flat when it has none. `withPnl`: with its unrealised PnL at the last
 * price seen (contracts × contract size × (price − entry)), when a price is known.
 */
export function toPosition(book: PaperBook, symbol: string, options: { withPnl?: boolean } = {}): Position {
  const position = book.positions[symbol];
  const contracts = dec(position?.contracts);
  if (!position || contracts.isZero()) return { symbol, contracts: 0, side: 'flat' };
  const price = book.prices[symbol];
  const size = book.instruments[symbol]?.contractSize ?? '1';
  const pnl =
    options.withPnl && price !== undefined
      ? { unrealizedPnl: num(contracts.mul(dec(size)).mul(dec(price).sub(dec(position.entryPrice)))) }
      : {};
  return {
    symbol,
    contracts: num(contracts),
    side: contracts.isPositive() ? 'long' : 'short',
    entryPrice: num(position.entryPrice),
    ...pnl,
  };
}
