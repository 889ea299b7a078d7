import { AppError } from '../errors/app-error';
import { type ExchangeOrder, type OrderIntent } from '../exchange/exchange-session';
import { type OrderRecord } from '../signals/signal-record';
import { mayHavePlaced, neverSent } from './error-facts';
import { type RunContext, timed } from './run-context';

/**
 * Places an order at most once (docs/contract.md "Execution"). Whenever its client id may have been sent
 * before (a re-run, an earlier try of this run), it is looked up first and an existing order adopted:
 * Binance accepts a filled order's client id again, so sending without looking would place a second order.
 * With `mayOpen: false` (the signal expired while the order's fate was unknown) it is only looked up.
 */
export async function placeOnce(ctx: RunContext, intent: OrderIntent, mayOpen: boolean): Promise<void> {
  const id = intent.clientOrderId;
  const maybeSent = !ctx.firstRun || ctx.progress.sent?.[id] !== undefined;
  let order = maybeSent ? await findProven(ctx, intent) : undefined;
  let adopted = order !== undefined;
  if (!order) {
    if (!mayOpen) {
      throw new AppError('expired before its first order could be placed', {
        code: 'expired',
        kind: 'permanent',
      });
    }
    ({ order, adopted } = await send(ctx, intent));
  }
  keep(
    ctx,
    withTimes(toOrderRecord(intent, order, ctx.signal.alert.price), ctx.progress.sent?.[id], ctx.clock.now()),
  );
  ctx.log.info(adopted ? 'order adopted' : 'order placed', {
    leg: intent.leg,
    clientOrderId: id,
    exchangeId: order.id,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    amount: intent.amount,
    filled: order.filled,
    average: order.average,
    status: order.status,
  });
}

/**
 * Sends the order. The send is recorded durably BEFORE the request leaves, with the time the session signs
 * it with, so that any later run knows since when the order may exist. After an ambiguous failure the
 * order is looked up (waiting out its receive window if need be) and adopted if it exists.
 */
async function send(
  ctx: RunContext,
  intent: OrderIntent,
): Promise<{ order: ExchangeOrder; adopted: boolean }> {
  const sent = (ctx.progress.sent ??= {});
  const earlier = sent[intent.clientOrderId];
  const sentAt = ctx.clock.now();
  sent[intent.clientOrderId] = sentAt;
  await ctx.save();
  // The kill switch is read as late as it can be: after the durable record of the send, with only the
  // request itself left to go. A pause acknowledged before this read stops the order. The read waits for the
  // write's answer: sent right behind it, Redis could run it first (ioredis sends a script Redis no longer
  // holds again, after the read, when the first try answers NOSCRIPT).
  try {
    await ctx.checkPause?.();
  } catch (error) {
    if (earlier === undefined) delete sent[intent.clientOrderId];
    else sent[intent.clientOrderId] = earlier;
    await ctx.save();
    throw error;
  }
  try {
    const order = await timed(ctx, 'createOrder', () => ctx.session.createOrder(intent, { sentAt }));
    return { order, adopted: false };
  } catch (error) {
    if (neverSent(error)) {
      // Nothing left: the next try need not wait for this request's window (an earlier one's still counts).
      if (earlier === undefined) delete sent[intent.clientOrderId];
      else sent[intent.clientOrderId] = earlier;
    }
    if (!mayHavePlaced(error)) throw error;
    const placed = await findProven(ctx, intent);
    if (!placed) throw error;
    return { order: placed, adopted: true };
  }
}

/**
 * The order with the intent's client id, or `undefined` once its absence is PROVEN: a lookup that finds
 * nothing proves it only after the last request that could have placed it can no longer be accepted
 * (`sentAt + orderAcceptWindowMs`); before that the lookup is repeated when the window has passed. If a
 * lookup fails while a request may be pending, the order's fate is unknown: that is recorded
 * (`progress.unresolved`, so the signal cannot expire meanwhile) and the failure rethrown.
 */
async function findProven(ctx: RunContext, intent: OrderIntent): Promise<ExchangeOrder | undefined> {
  const id = intent.clientOrderId;
  for (;;) {
    const sentAt = ctx.progress.sent?.[id];
    let found: ExchangeOrder | undefined;
    try {
      found = await timed(ctx, 'findOrder', () => ctx.session.findOrder(intent.symbol, id));
    } catch (error) {
      if (sentAt !== undefined) {
        ctx.progress.unresolved ??= { clientOrderId: id, sentAt, since: ctx.clock.now() };
        await ctx.save();
      }
      throw error;
    }
    const provenAt = sentAt === undefined ? 0 : sentAt + (ctx.session.orderAcceptWindowMs ?? 0);
    const now = ctx.clock.now();
    if (found || now >= provenAt) {
      ctx.progress.unresolved = undefined;
      return found;
    }
    ctx.log.info('order not found yet; looking again once its receive window has passed', {
      clientOrderId: id,
      waitMs: provenAt - now,
    });
    await ctx.clock.sleep(provenAt - now, ctx.shutdown);
  }
}

/**
 * Stamps the timeline of an order as it is first known: sent (the last send, if this run or an earlier one
 * sent it), acknowledged now, filled now if the answer says it filled.
 */
export function withTimes(record: OrderRecord, sentAt: number | undefined, now: number): OrderRecord {
  return {
    ...record,
    ...(sentAt === undefined ? {} : { sentAt }),
    acknowledgedAt: now,
    ...(record.status === 'closed' ? { filledAt: now } : {}),
  };
}

function keep(ctx: RunContext, record: OrderRecord): void {
  const orders = ctx.progress.orders;
  const known = orders.findIndex((o) => o.clientOrderId === record.clientOrderId);
  if (known < 0) {
    orders.push(record);
    return;
  }
  // Seen before (a re-run adopting it): its first acknowledgement and fill time stay.
  const before = orders[known];
  orders[known] = {
    ...record,
    acknowledgedAt: before.acknowledgedAt ?? record.acknowledgedAt,
    filledAt: before.filledAt ?? record.filledAt,
  };
}

/**
 * An order as the record keeps it: what was asked (the intent) completed by what the exchange says, and its
 * slippage against the alert's price when both are known.
 */
export function toOrderRecord(intent: OrderIntent, order: ExchangeOrder, alertPrice?: number): OrderRecord {
  const slippage = slippageOf(intent.side, order, alertPrice);
  return {
    leg: intent.leg,
    exchangeId: order.id,
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    amount: order.amount ?? intent.amount,
    price: order.price ?? intent.price,
    filled: order.filled,
    average: order.average,
    cost: order.cost,
    fee: order.fee,
    status: order.status,
    ...(slippage === undefined ? {} : { slippage }),
  };
}

/** Percent worse than `alertPrice` (a buy above it, a sell below it); negative when better. */
function slippageOf(
  side: OrderIntent['side'],
  order: ExchangeOrder,
  alertPrice: number | undefined,
): number | undefined {
  if (alertPrice === undefined || !(alertPrice > 0) || order.average === undefined || !(order.filled > 0)) {
    return undefined;
  }
  const worse = side === 'buy' ? order.average - alertPrice : alertPrice - order.average;
  return Number(((worse / alertPrice) * 100).toFixed(4));
}
