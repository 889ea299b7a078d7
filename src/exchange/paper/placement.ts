import { type OrderIntent } from '../exchange-session';
import { type Dec, ZERO, dec, money, str } from './decimal';
import { balanceFigures } from './balance-view';
import { feeOf, notionalOf } from './fills';
import { type Ledger } from './ledger';
import { fillPriceAt } from './matching';
import { endOrder, fillOrder, reducible } from './order-execution';
import { type Instrument, type PaperOrder } from './paper-book';
import { priceRequired, refusal } from './refusals';

export interface Placement {
  intent: OrderIntent;
  instrument: Instrument;
  /** The market price now: the last alert price offline, the exchange's ticker over a real one. */
  marketPrice?: Dec;
}

/**
 * Places an order on the book and does what a real exchange does at once: a market order fills at the market
 * price; a limit that crosses fills at the market price (a taker gets the better price) unless it is post-only,
 * which is refused; a limit that does not cross rests with its funds reserved (GTC) or expires unfilled
 * (IOC/FOK); a trigger rests until the price reaches it. Refusals (funds, post-only, reduce-only, a trigger that
 * would fire at once) throw; the ledger is a working copy that the caller then discards (`BookStore.transact`).
 */
export function placeOrder(ledger: Ledger, placement: Placement): PaperOrder {
  const { intent, instrument, marketPrice } = placement;
  validate(intent, instrument);
  ledger.remember(instrument);
  const order = newOrder(ledger, intent, instrument);
  switch (order.type) {
    case 'market':
      if (!marketPrice) throw priceRequired(intent.symbol);
      return fillNow(ledger, order, marketPrice);
    case 'limit': {
      const crosses = marketPrice !== undefined && fillPriceAt(order, marketPrice) !== undefined;
      if (crosses && order.postOnly) {
        throw refusal(
          'post_only_rejected',
          `paper: post-only ${order.side} at ${order.price} would immediately match (last price ${str(marketPrice)}); refused`,
        );
      }
      if (crosses) return fillNow(ledger, order, marketPrice);
      if (order.timeInForce !== 'GTC') {
        const last = marketPrice ? `last price ${str(marketPrice)}` : 'no price known yet';
        return endOrder(ledger, order, {
          status: 'expired',
          note: `${order.timeInForce}: the limit ${order.price} did not cross the market (${last})`,
        });
      }
      return rest(ledger, order, instrument);
    }
    case 'stop_market':
    case 'take_profit_market':
      if (marketPrice && fillPriceAt(order, marketPrice)) {
        throw refusal(
          'invalid_order',
          `paper: ${order.type} ${order.side} at ${order.triggerPrice} would trigger immediately (last price ${str(marketPrice)})`,
        );
      }
      requireReducible(ledger, order, instrument);
      return ledger.save(order);
  }
}

function validate(intent: OrderIntent, instrument: Instrument): void {
  if (!(intent.amount > 0) || !Number.isFinite(intent.amount)) {
    throw refusal('invalid_order', `paper: amount ${intent.amount} must be a number above 0`);
  }
  if (intent.type === 'limit' && !(intent.price !== undefined && intent.price > 0)) {
    throw refusal('invalid_order', 'paper: a limit order needs a price above 0');
  }
  const trigger = intent.type === 'stop_market' || intent.type === 'take_profit_market';
  if (trigger && !(intent.triggerPrice !== undefined && intent.triggerPrice > 0)) {
    throw refusal('invalid_order', `paper: a ${intent.type} order needs a trigger price above 0`);
  }
  if (instrument.kind === 'spot' && (trigger || intent.reduceOnly)) {
    throw refusal(
      'not_supported',
      `paper: ${trigger ? intent.type : 'reduce-only'} orders are simulated on contracts only`,
    );
  }
  if (trigger && !intent.reduceOnly) {
    throw refusal(
      'not_supported',
      'paper: trigger orders are simulated as reduce-only exits (take-profit, stop-loss) only',
    );
  }
  if (intent.takeProfitPrice !== undefined || intent.stopLossPrice !== undefined) {
    throw refusal(
      'not_supported',
      'paper: take-profit/stop-loss attached to an order are placed as separate orders here',
    );
  }
}

function newOrder(ledger: Ledger, intent: OrderIntent, instrument: Instrument): PaperOrder {
  return {
    id: `paper-${intent.clientOrderId}`,
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    amount: str(dec(intent.amount)),
    ...(intent.type === 'limit' ? { price: str(dec(intent.price)) } : {}),
    ...(intent.triggerPrice !== undefined ? { triggerPrice: str(dec(intent.triggerPrice)) } : {}),
    reduceOnly: intent.reduceOnly === true,
    postOnly: intent.postOnly === true,
    timeInForce: intent.timeInForce ?? 'GTC',
    status: 'open',
    filled: '0',
    cost: '0',
    fee: '0',
    feeCurrency: instrument.settle,
    seq: ledger.nextSeq(),
    createdAt: ledger.rules.now,
    updatedAt: ledger.rules.now,
  };
}

/** Fills a marketable order now, all at `price`, within what reduce-only and the funds allow. */
function fillNow(ledger: Ledger, order: PaperOrder, price: Dec): PaperOrder {
  const amount = dec(order.amount);
  if (!order.reduceOnly) {
    return guardFunds(ledger, order, () => fillOrder(ledger, order, { amount, price }));
  }
  const instrument = ledger.instrument(order.symbol);
  const room = requireReducible(ledger, order, instrument);
  if (room.greaterThanOrEqualTo(amount)) return fillOrder(ledger, order, { amount, price });
  const clamp = `reduce-only: ${str(amount)} asked, the position held ${str(room)}`;
  switch (order.timeInForce) {
    case 'FOK':
      return endOrder(ledger, order, { status: 'expired', note: `FOK: not filled, ${clamp}` });
    case 'IOC':
      return fillOrder(ledger, order, { amount: room, price, status: 'expired', note: `IOC: ${clamp}` });
    case 'GTC':
      // As Bybit does: the order is cut to the position, never left to grow the other side.
      order.amount = str(room);
      return fillOrder(ledger, order, { amount: room, price, note: clamp });
  }
}

/** The part of a reduce-only order that reduces; refuses the order when nothing would (Binance -2022). */
function requireReducible(ledger: Ledger, order: PaperOrder, instrument: Instrument): Dec {
  if (!order.reduceOnly) return dec(order.amount);
  const room = reducible(ledger, instrument, order.side);
  if (room.isZero()) {
    const contracts = ledger.position(instrument.symbol).contracts;
    throw refusal(
      'invalid_order',
      `paper: reduce-only ${order.side} of ${order.amount} would not reduce the position (${contracts} contracts); refused`,
    );
  }
  return room;
}

/** Rests a limit order, reserving what it may spend: quote (with fee) to buy, base to sell, margin on contracts. */
function rest(ledger: Ledger, order: PaperOrder, instrument: Instrument): PaperOrder {
  if (order.reduceOnly) {
    requireReducible(ledger, order, instrument);
    return ledger.save(order);
  }
  const amount = dec(order.amount);
  const limit = dec(order.price);
  if (instrument.kind === 'spot' && order.side === 'sell') {
    order.reserved = { currency: instrument.base, amount: order.amount };
  } else {
    const notional = notionalOf(instrument, amount, limit);
    const leverage = instrument.kind === 'linear' ? ledger.settings(order.symbol).leverage : 1;
    const held = money(notional.div(leverage)).plus(feeOf(ledger, notional));
    order.reserved = { currency: instrument.settle, amount: str(held) };
  }
  return guardFunds(ledger, order, () => ledger.save(order));
}

/**
 * Runs `change` (a fill or a reservation) and refuses the order if it left the currency it spends with less
 * than nothing free. The figure it needed is what the change took from the free balance: cost and fee, margin
 * and fee, or the coins sold — net of margin a partial close releases.
 */
function guardFunds(ledger: Ledger, order: PaperOrder, change: () => PaperOrder): PaperOrder {
  const instrument = ledger.instrument(order.symbol);
  const currency = instrument.kind === 'spot' && order.side === 'sell' ? instrument.base : instrument.settle;
  const before = balanceFigures(ledger.book).get(currency)?.free ?? ZERO;
  const result = change();
  const after = balanceFigures(ledger.book).get(currency)?.free ?? ZERO;
  if (after.isNegative() && after.lessThan(before)) {
    const free = `${str(before.isNegative() ? ZERO : before)} ${currency} free`;
    const needs = `${str(before.minus(after))} ${currency}`;
    if (instrument.kind === 'linear') {
      const leverage = ledger.settings(order.symbol).leverage;
      throw refusal(
        'insufficient_funds',
        `paper margin too low: ${free}, order needs ${needs} at ${leverage}x (fee included)`,
      );
    }
    throw refusal('insufficient_funds', `paper balance too low: ${free}, order needs ${needs}`);
  }
  return result;
}
