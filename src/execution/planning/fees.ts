import { type Market, type OrderIntent } from '../../exchange/exchange-session';

/**
 * The fee rate `order` is expected to pay, as a fraction of its notional: the market's taker rate for market
 * orders, its maker rate for limit orders (a limit that crosses the book at once pays the taker rate: the
 * maker rate is the usual case, not a bound). `undefined` when the market does not say.
 */
export function feeRateOf(market: Market, order: Pick<OrderIntent, 'type'>): number | undefined {
  if (order.type === 'market') return market.taker;
  if (order.type === 'limit') return market.maker;
  return undefined;
}

/**
 * Which of a spot market's currencies a fill on `side` pays its fee in, by the market's `feeSide` (ccxt's
 * default `quote` when unknown); `other` for a currency that is neither (a discount token).
 */
export function spotFeeCurrency(market: Market, side: OrderIntent['side']): 'quote' | 'base' | 'other' {
  switch (market.feeSide ?? 'quote') {
    case 'get':
      return side === 'buy' ? 'base' : 'quote';
    case 'give':
      return side === 'buy' ? 'quote' : 'base';
    case 'quote':
      return 'quote';
    case 'base':
      return 'base';
    default:
      return 'other';
  }
}
