import type { Exchange, Order as CcxtOrder } from 'ccxt';
import { AppError } from '../../errors/app-error';
import type { Market } from '../exchange-session';
import type { ExchangeTraits } from './exchange-traits';
import type { ReadCall } from './order-lookup';

/**
 * Cancels every open order of one market (both books where conditional orders live apart) and returns the
 * orders that were open, marked `canceled`. Lists first: an empty book sends no cancel at all (Binance spot
 * answers an error to cancel-all on an empty book), and the returned orders are full order structures on
 * every exchange (cancel-all answers differ widely). Safe to repeat: nothing open means nothing to do.
 */
export async function cancelOpenOrdersOf(
  exchange: Exchange,
  traits: ExchangeTraits,
  market: Market,
  read: ReadCall,
): Promise<CcxtOrder[]> {
  const symbol = market.symbol;
  const books: Record<string, unknown>[] =
    traits.separateTriggerBook && market.type !== 'spot' ? [{}, { trigger: true }] : [{}];
  const cancelled: CcxtOrder[] = [];
  for (const extra of books) {
    const open = await read(() => exchange.fetchOpenOrders(symbol, undefined, undefined, extra));
    if (open.length === 0) continue;
    if (exchange.has.cancelAllOrders) {
      await ignoring(
        read(() => exchange.cancelAllOrders(symbol, extra)),
        (error) => isNothingToCancel(error, traits),
      );
    } else {
      for (const order of open) {
        await ignoring(
          read(() => exchange.cancelOrder(order.id as string, symbol, extra)),
          isOrderNotFound,
        );
      }
    }
    cancelled.push(...open.map((order) => ({ ...order, status: 'canceled' })));
  }
  return cancelled;
}

async function ignoring(call: Promise<unknown>, ignore: (error: unknown) => boolean): Promise<void> {
  try {
    await call;
  } catch (error) {
    // Filled or canceled in the meantime: the goal (nothing open) is reached either way.
    if (!ignore(error)) throw error;
  }
}

function isOrderNotFound(error: unknown): boolean {
  return error instanceof AppError && error.code === 'order_not_found';
}

function isNothingToCancel(error: unknown, traits: ExchangeTraits): boolean {
  if (isOrderNotFound(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return traits.nothingToCancel.some((pattern) => pattern.test(message));
}
