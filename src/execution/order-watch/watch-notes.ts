import { type ExchangeOrder } from '../../exchange/exchange-session';

/** `14:03 UTC`: when the watch found something, for notes a trader reads. */
export function clockTime(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

/** An order's state in words: `filled 0.01 @ 65010`, `canceled on the exchange, filled 0.004 of 0.01 @ 64990`. */
export function describeOrder(
  order: Pick<ExchangeOrder, 'status' | 'filled' | 'amount' | 'average'>,
): string {
  const at = order.average !== undefined && order.filled > 0 ? ` @ ${order.average}` : '';
  switch (order.status) {
    case 'closed':
      return `filled ${order.filled}${at}`;
    case 'open':
      return order.filled > 0
        ? `resting, filled ${order.filled} of ${order.amount}${at} so far`
        : `resting on the book, nothing filled yet`;
    default:
      return `${order.status} on the exchange, filled ${order.filled} of ${order.amount}${at}`;
  }
}
