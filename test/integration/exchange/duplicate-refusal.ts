import { type ExchangeOrder, type OrderIntent } from '../../../src/exchange/exchange-session';
import { type CcxtSession } from '../../../src/exchange/ccxt/ccxt-session';
import { intent } from './order-intent';

/** A limit buy (GTC) well below the fakes' 60 000: it rests, so its client id stays taken everywhere. */
export const restingBuy = (clientOrderId: string, symbol: string, fields: Partial<OrderIntent> = {}) =>
  intent(clientOrderId, symbol, { type: 'limit', price: 50000, timeInForce: 'GTC', ...fields });

/**
 * Places `order`, sends it again, and expects the exchange's refusal of the reused client id to come out of
 * the session as a permanent `duplicate_order_id` that keeps the exchange's own words. Returns the first order.
 */
export async function placeTwice(
  session: CcxtSession,
  order: OrderIntent,
  exchangeMessage: string,
): Promise<ExchangeOrder> {
  const first = await session.createOrder(order);
  await expect(session.createOrder(order)).rejects.toMatchObject({
    code: 'duplicate_order_id',
    kind: 'permanent',
    message: expect.stringContaining(exchangeMessage),
  });
  return first;
}
