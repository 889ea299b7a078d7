/** State and order logic of the fake Bybit (unified account, one-way mode, linear contracts). */
import { BYBIT_MIN_NOTIONAL } from './bybit-markets';
import { FakeApiError } from './fake-exchange-server';

export interface BybitFakeOrder {
  orderId: string;
  orderLinkId: string;
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Market' | 'Limit';
  qty: number;
  price: number;
  triggerPrice: number;
  triggerDirection: number;
  timeInForce: string;
  reduceOnly: boolean;
  orderStatus: 'New' | 'Untriggered' | 'Filled' | 'Cancelled';
  cumExecQty: number;
  avgPrice: number;
  createdTime: number;
  updatedTime: number;
  conditional: boolean;
}

/** The fake's unified (UTA 2.0) account. Tests may read and edit it directly. */
export class BybitFakeState {
  prices: Record<string, number> = { BTCUSDT: 60000, ETHUSDT: 3000 };
  walletUsdt = 10000;
  positions: Record<string, { size: number; avgPrice: number }> = {};
  leverage: Record<string, number> = { BTCUSDT: 10, ETHUSDT: 10 };
  marginMode: 'REGULAR_MARGIN' | 'ISOLATED_MARGIN' = 'REGULAR_MARGIN';
  orders: BybitFakeOrder[] = [];
  private nextId = 1;

  newOrderId(): string {
    // Bybit order ids are UUIDs.
    return `1b7f${String(this.nextId++).padStart(4, '0')}-1a2b-4c3d-8e9f-0123456789ab`;
  }
}

export function ok(result: unknown) {
  return { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: Date.now() };
}

export function bybitError(retCode: number, retMsg: string): FakeApiError {
  return new FakeApiError(200, { retCode, retMsg, result: {}, retExtInfo: {}, time: Date.now() });
}

export function price(s: BybitFakeState, symbol: string): number {
  const value = s.prices[symbol];
  if (value === undefined) throw bybitError(10001, 'params error: symbol invalid');
  return value;
}

export function createOrder(s: BybitFakeState, p: Record<string, unknown>): BybitFakeOrder {
  if (p.category !== 'linear')
    throw bybitError(10001, `fake bybit trades linear only, not ${String(p.category)}`);
  const symbol = String(p.symbol);
  const market = price(s, symbol);
  const orderLinkId = String(p.orderLinkId ?? '');
  // Bybit refuses any reuse of an orderLinkId, open or not.
  if (orderLinkId && s.orders.some((o) => o.orderLinkId === orderLinkId))
    throw bybitError(110072, 'OrderLinkedID is duplicate');
  const qty = Number(p.qty);
  const side = p.side as 'Buy' | 'Sell';
  const orderType = p.orderType as 'Market' | 'Limit';
  if (orderType === 'Limit' && p.price === undefined)
    throw bybitError(10001, 'params error: price is required');
  const orderPrice = orderType === 'Limit' ? Number(p.price) : market;
  const reduceOnly = p.reduceOnly === true || p.reduceOnly === 'true';
  const position = s.positions[symbol]?.size ?? 0;
  if (reduceOnly && (position === 0 || (side === 'Buy') === position > 0)) {
    throw bybitError(110017, 'current position is zero, cannot fix reduce-only order qty');
  }
  if (!reduceOnly && qty * orderPrice < BYBIT_MIN_NOTIONAL)
    throw bybitError(110094, 'Order does not meet minimum order value 5USDT');
  const conditional = p.triggerPrice !== undefined;
  if (!reduceOnly && !conditional && (qty * orderPrice) / s.leverage[symbol] > available(s)) {
    throw bybitError(110007, 'ab not enough for new order');
  }
  const now = Date.now();
  const order: BybitFakeOrder = {
    orderId: s.newOrderId(),
    orderLinkId,
    symbol,
    side,
    orderType,
    qty,
    price: orderType === 'Limit' ? orderPrice : 0,
    triggerPrice: Number(p.triggerPrice ?? 0),
    triggerDirection: Number(p.triggerDirection ?? 0),
    timeInForce: String(p.timeInForce ?? (orderType === 'Market' ? 'IOC' : 'GTC')),
    reduceOnly,
    orderStatus: conditional ? 'Untriggered' : 'New',
    cumExecQty: 0,
    avgPrice: 0,
    createdTime: now,
    updatedTime: now,
    conditional,
  };
  const crosses = side === 'Buy' ? orderPrice >= market : orderPrice <= market;
  if (!conditional && orderType === 'Market') {
    Object.assign(order, { orderStatus: 'Filled', cumExecQty: qty, avgPrice: market });
    applyFill(s, symbol, side === 'Buy' ? qty : -qty, market);
  } else if (order.timeInForce === 'PostOnly' && crosses) {
    order.orderStatus = 'Cancelled'; // Bybit cancels a post-only order that would take
  }
  s.orders.push(order);
  return order;
}

function applyFill(s: BybitFakeState, symbol: string, delta: number, fillPrice: number): void {
  const current = s.positions[symbol] ?? { size: 0, avgPrice: 0 };
  const size = Math.round((current.size + delta) * 1e8) / 1e8;
  const growing = current.size === 0 || Math.sign(delta) === Math.sign(current.size);
  const avgPrice =
    size === 0
      ? 0
      : growing
        ? (Math.abs(current.size) * current.avgPrice + Math.abs(delta) * fillPrice) / Math.abs(size)
        : current.avgPrice;
  s.positions[symbol] = { size, avgPrice };
}

export function available(s: BybitFakeState): number {
  const used = Object.entries(s.positions).reduce(
    (sum, [symbol, p]) => sum + (Math.abs(p.size) * p.avgPrice) / s.leverage[symbol],
    0,
  );
  return s.walletUsdt - used;
}

export function filterOrders(s: BybitFakeState, p: Record<string, unknown>, open: boolean): BybitFakeOrder[] {
  const stopOrders = p.orderFilter === 'StopOrder';
  return s.orders.filter(
    (o) =>
      (p.symbol === undefined || o.symbol === p.symbol) &&
      (p.orderLinkId === undefined || o.orderLinkId === p.orderLinkId) &&
      o.conditional === stopOrders &&
      (o.orderStatus === 'New' || o.orderStatus === 'Untriggered') === open,
  );
}
