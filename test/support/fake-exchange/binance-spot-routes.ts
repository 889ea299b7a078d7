import { binanceSpotExchangeInfo } from './binance-markets';
import {
  type BinanceFakeOrder,
  type BinanceFakeState,
  binanceError,
  checkParams,
  fixed,
  requireParam,
  round,
} from './binance-state';
import { newBinanceOrder, routesUnder } from './route-helpers';
import { type FakeRoute } from './fake-exchange-server';

const MIN_NOTIONAL = 5;
const FEE_RATE = 0.001;
const ORDER_PARAMS = [
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'stopPrice',
  'trailingDelta',
  'icebergQty',
  'newOrderRespType',
  'selfTradePreventionMode',
  'strategyId',
  'strategyType',
];

/** Binance spot REST (api.binance.com/api/v3) over the shared fake state. */
export function binanceSpotRoutes(state: BinanceFakeState): FakeRoute[] {
  const route = routesUnder('/api/v3');
  return [
    route('GET', '/ping', 'ping', false, () => ({})),
    route('GET', '/time', 'time', false, () => ({ serverTime: Date.now() })),
    route('GET', '/exchangeInfo', 'exchangeInfo', false, () =>
      binanceSpotExchangeInfo(state.extraSpotSymbols, state.suspendedSpotSymbols),
    ),
    route('GET', '/ticker/24hr', 'ticker', false, (p) => spotTicker(state, requireParam(p, 'symbol'))),
    route('GET', '/ticker/price', 'tickerPrice', false, (p) => ({
      symbol: p.symbol,
      price: fixed(state.price(String(p.symbol))),
    })),
    route('GET', '/account', 'balance', true, () => spotAccount(state)),
    route('POST', '/order', 'createOrder', true, (p) => createSpotOrder(state, p)),
    route('GET', '/order', 'queryOrder', true, (p) => spotOrderView(state.findOrder('spot', p))),
    route('GET', '/openOrders', 'openOrders', true, (p) =>
      state.openOrders('spot', p.symbol).map(spotOrderView),
    ),
    route('GET', '/allOrders', 'allOrders', true, (p) =>
      state.orders.filter((o) => o.api === 'spot' && o.symbol === p.symbol).map(spotOrderView),
    ),
    route('DELETE', '/order', 'cancelOrder', true, (p) => cancelView(cancel(state.findOrder('spot', p)))),
    route('DELETE', '/openOrders', 'cancelAll', true, (p) => {
      const open = state.openOrders('spot', requireParam(p, 'symbol'));
      // What Binance spot really answers when nothing is open.
      if (open.length === 0) throw binanceError(-2011, 'Unknown order sent.');
      return open.map((o) => cancelView(cancel(o)));
    }),
  ];
}

function createSpotOrder(state: BinanceFakeState, p: Record<string, unknown>): unknown {
  checkParams(p, ORDER_PARAMS);
  const symbol = requireParam(p, 'symbol');
  const market = state.price(symbol);
  if (state.suspendedSpotSymbols.has(symbol)) throw binanceError(-1013, 'Market is closed.');
  const side = requireParam(p, 'side') as 'BUY' | 'SELL';
  const type = requireParam(p, 'type');
  const clientOrderId = String(p.newClientOrderId ?? `web_${state.newId()}`);
  if (state.openOrders('spot', symbol).some((o) => o.clientOrderId === clientOrderId)) {
    throw binanceError(-2010, 'Duplicate order sent.');
  }
  const price =
    type === 'MARKET'
      ? market
      : Number(requireParam(p, type.includes('LIMIT') || type === 'LIMIT_MAKER' ? 'price' : 'stopPrice'));
  const quantity =
    p.quoteOrderQty !== undefined
      ? round(Number(p.quoteOrderQty) / market)
      : Number(requireParam(p, 'quantity'));
  if (type === 'LIMIT' || type.endsWith('_LIMIT')) requireParam(p, 'timeInForce');
  if (quantity <= 0) throw binanceError(-1013, 'Filter failure: LOT_SIZE');
  if (quantity * price < MIN_NOTIONAL) throw binanceError(-1013, 'Filter failure: NOTIONAL');
  if (type === 'LIMIT_MAKER' && (side === 'BUY' ? price >= market : price <= market)) {
    throw binanceError(-2010, 'Order would immediately match and take.');
  }
  const [base] = symbol.split('USDT');
  const order = newBinanceOrder(state, {
    api: 'spot',
    clientOrderId,
    symbol,
    side,
    type,
    quantity,
    price: type === 'MARKET' ? 0 : Number(p.price ?? 0),
    stopPrice: Number(p.stopPrice ?? 0),
    timeInForce: p.timeInForce,
    reduceOnly: false,
  });
  const fills: unknown[] = [];
  if (type === 'MARKET') {
    reserve(state, side === 'BUY' ? 'USDT' : base, side === 'BUY' ? quantity * market : quantity, false);
    credit(
      state,
      side === 'BUY' ? base : 'USDT',
      side === 'BUY' ? quantity : quantity * market * (1 - FEE_RATE),
    );
    if (side === 'BUY') debitFee(state, quantity * market * FEE_RATE);
    Object.assign(order, { status: 'FILLED', executedQty: quantity, avgPrice: market });
    fills.push({
      price: fixed(market),
      qty: fixed(quantity),
      commission: fixed(quantity * market * FEE_RATE),
      commissionAsset: 'USDT',
      tradeId: state.newId(),
    });
  } else if (type === 'LIMIT' || type === 'LIMIT_MAKER') {
    reserve(state, side === 'BUY' ? 'USDT' : base, side === 'BUY' ? quantity * price : quantity, true);
  }
  state.orders.push(order);
  return {
    symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId,
    transactTime: order.time,
    price: fixed(order.price),
    origQty: fixed(quantity),
    executedQty: fixed(order.executedQty),
    origQuoteOrderQty: fixed(0),
    cummulativeQuoteQty: fixed(order.executedQty * order.avgPrice),
    status: order.status,
    timeInForce: order.timeInForce,
    type,
    side,
    workingTime: order.time,
    fills,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

function reserve(state: BinanceFakeState, asset: string, amount: number, lock: boolean): void {
  const balance = state.spotBalances[asset] ?? { free: 0, locked: 0 };
  if (balance.free + 1e-12 < amount)
    throw binanceError(-2010, 'Account has insufficient balance for requested action.');
  balance.free = round(balance.free - amount);
  if (lock) balance.locked = round(balance.locked + amount);
  state.spotBalances[asset] = balance;
}

function credit(state: BinanceFakeState, asset: string, amount: number): void {
  const balance = state.spotBalances[asset] ?? { free: 0, locked: 0 };
  balance.free = round(balance.free + amount);
  state.spotBalances[asset] = balance;
}

function debitFee(state: BinanceFakeState, amount: number): void {
  state.spotBalances.USDT.free = round(state.spotBalances.USDT.free - amount);
}

function cancel(order: BinanceFakeOrder): BinanceFakeOrder {
  if (order.status !== 'NEW') throw binanceError(-2011, 'Unknown order sent.');
  order.status = 'CANCELED';
  order.updateTime = Date.now();
  return order;
}

/** What every spot answer says of an order's size, fill and kind. */
function orderFields(o: BinanceFakeOrder) {
  return {
    price: fixed(o.price),
    origQty: fixed(o.quantity),
    executedQty: fixed(o.executedQty),
    cummulativeQuoteQty: fixed(o.executedQty * o.avgPrice),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
}

function spotOrderView(o: BinanceFakeOrder) {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    ...orderFields(o),
    stopPrice: fixed(o.stopPrice),
    icebergQty: fixed(0),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    origQuoteOrderQty: fixed(0),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

function cancelView(o: BinanceFakeOrder) {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: `cancel${o.orderId}`,
    transactTime: o.updateTime,
    ...orderFields(o),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

function spotTicker(state: BinanceFakeState, symbol: string) {
  const last = state.price(symbol);
  const now = Date.now();
  return {
    symbol,
    priceChange: fixed(0),
    priceChangePercent: '0.000',
    weightedAvgPrice: fixed(last),
    prevClosePrice: fixed(last),
    lastPrice: fixed(last),
    lastQty: fixed(0.001),
    bidPrice: fixed(last - 0.01),
    bidQty: fixed(1),
    askPrice: fixed(last + 0.01),
    askQty: fixed(1),
    openPrice: fixed(last),
    highPrice: fixed(last),
    lowPrice: fixed(last),
    volume: fixed(1000),
    quoteVolume: fixed(1000 * last),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 1000,
    count: 1000,
  };
}

function spotAccount(state: BinanceFakeState) {
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: Date.now(),
    accountType: 'SPOT',
    balances: Object.entries(state.spotBalances).map(([asset, b]) => ({
      asset,
      free: fixed(b.free),
      locked: fixed(b.locked),
    })),
    permissions: ['SPOT'],
    uid: 354937868,
  };
}
