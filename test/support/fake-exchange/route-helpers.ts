import {
  type BinanceFakeOrder,
  type BinanceFakeState,
  binanceError,
  checkParams,
  requireParam,
} from './binance-state';
import { type FakeRoute } from './fake-exchange-server';

/** `route(method, path, operation, signed, handle)` for an API whose paths all start with `prefix`. */
export const routesUnder =
  (prefix: string) =>
  (method: string, path: string, operation: string, signed: boolean, handle: FakeRoute['handle']) =>
    ({ method, path: `${prefix}${path}`, operation, signed, handle }) satisfies FakeRoute;

/** Order parameters both Binance futures APIs (USDⓈ-M and COIN-M) accept. */
export const FUTURES_ORDER_PARAMS = [
  'symbol',
  'side',
  'positionSide',
  'type',
  'timeInForce',
  'quantity',
  'reduceOnly',
  'price',
  'newClientOrderId',
  'stopPrice',
  'closePosition',
  'workingType',
  'priceProtect',
  'newOrderRespType',
  'priceMatch',
  'selfTradePreventionMode',
];

type OrderFields = Pick<
  BinanceFakeOrder,
  'api' | 'clientOrderId' | 'symbol' | 'side' | 'type' | 'quantity' | 'price' | 'stopPrice' | 'reduceOnly'
> &
  Partial<Pick<BinanceFakeOrder, 'algo'>> & { timeInForce: unknown };

/** A new resting order as Binance records it (not yet stored: the caller fills it or not, then pushes it). */
export function newBinanceOrder(state: BinanceFakeState, fields: OrderFields): BinanceFakeOrder {
  const now = Date.now();
  const { api, clientOrderId, symbol, side, type, quantity, price, stopPrice, reduceOnly } = fields;
  return {
    api,
    orderId: state.newId(),
    clientOrderId,
    symbol,
    side,
    type,
    quantity,
    price,
    stopPrice,
    timeInForce: String(fields.timeInForce ?? 'GTC'),
    reduceOnly,
    status: 'NEW',
    executedQty: 0,
    avgPrice: 0,
    time: now,
    updateTime: now,
    algo: fields.algo ?? false,
  };
}

/**
 * A futures order's request read and checked in the order Binance checks it: known parameters (`params`,
 * by default those both APIs take), a client id
 * (`clientAlgoId` for an algo order) not already open, the quantity (`checkQuantity`), something to reduce
 * for a reduce-only order, and a limit order's price and time in force. `price` is the market's for others.
 */
export function readFuturesOrder(
  state: BinanceFakeState,
  api: 'usdm' | 'coinm',
  p: Record<string, unknown>,
  options: { params?: string[]; algo?: boolean; checkQuantity?: (quantity: number) => void } = {},
) {
  const algo = options.algo ?? false;
  checkParams(p, options.params ?? FUTURES_ORDER_PARAMS);
  const symbol = requireParam(p, 'symbol');
  const market = state.price(symbol);
  const side = requireParam(p, 'side') as 'BUY' | 'SELL';
  const type = requireParam(p, 'type');
  const clientOrderId = String((algo ? p.clientAlgoId : p.newClientOrderId) ?? `web_${state.newId()}`);
  if (state.openOrders(api, symbol, algo).some((o) => o.clientOrderId === clientOrderId)) {
    throw binanceError(-4116, 'ClientOrderId is duplicated.');
  }
  const quantity = Number(requireParam(p, 'quantity'));
  options.checkQuantity?.(quantity);
  const reduceOnly = p.reduceOnly === 'true' || p.reduceOnly === true;
  const position = state.positions[symbol]?.amount ?? 0;
  if (reduceOnly && (position === 0 || (side === 'BUY') === position > 0)) {
    throw binanceError(-2022, 'ReduceOnly Order is rejected.');
  }
  const price = type === 'LIMIT' ? Number(requireParam(p, 'price')) : market;
  if (type === 'LIMIT') requireParam(p, 'timeInForce');
  return { api, algo, symbol, market, side, type, clientOrderId, quantity, reduceOnly, price };
}

/** A futures API's order routes under `/v1`: place, look up, list open, cancel all; each order answered by `view`. */
export function futuresOrderRoutes(
  state: BinanceFakeState,
  api: 'usdm' | 'coinm',
  route: ReturnType<typeof routesUnder>,
  create: (p: Record<string, unknown>) => BinanceFakeOrder,
  view: (o: BinanceFakeOrder) => unknown,
): FakeRoute[] {
  return [
    route('POST', '/v1/order', 'createOrder', true, (p) => view(create(p))),
    route('GET', '/v1/order', 'queryOrder', true, (p) => view(state.findOrder(api, p))),
    route('GET', '/v1/openOrders', 'openOrders', true, (p) => state.openOrders(api, p.symbol).map(view)),
    route('DELETE', '/v1/allOpenOrders', 'cancelAll', true, (p) => {
      for (const order of state.openOrders(api, requireParam(p, 'symbol'))) order.status = 'CANCELED';
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    }),
  ];
}
