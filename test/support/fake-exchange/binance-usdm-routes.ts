import { binanceLeverageBrackets, binanceUsdmExchangeInfo } from './binance-markets';
import { type BinanceFakeOrder, type BinanceFakeState, binanceError, requireParam } from './binance-state';
import {
  FUTURES_ORDER_PARAMS,
  futuresOrderRoutes,
  newBinanceOrder,
  readFuturesOrder,
  routesUnder,
} from './route-helpers';
import { type FakeRoute } from './fake-exchange-server';
import {
  algoView,
  availableMargin,
  positionRisk,
  usdmAccount,
  usdmOrderView,
  usdmTicker,
} from './binance-usdm-views';

const MIN_NOTIONAL: Record<string, number> = { BTCUSDT: 100, ETHUSDT: 20 };
const ORDER_PARAMS = [...FUTURES_ORDER_PARAMS, 'activationPrice', 'callbackRate', 'goodTillDate'];
const ALGO_PARAMS = [...ORDER_PARAMS, 'algoType', 'triggerPrice', 'clientAlgoId'];

/** Binance USDⓈ-M futures REST (fapi.binance.com/fapi) over the shared fake state, one-way position mode. */
export function binanceUsdmRoutes(state: BinanceFakeState): FakeRoute[] {
  const route = routesUnder('/fapi');
  return [
    route('GET', '/v1/ping', 'ping', false, () => ({})),
    route('GET', '/v1/time', 'time', false, () => ({ serverTime: Date.now() })),
    route('GET', '/v1/exchangeInfo', 'usdmExchangeInfo', false, () => binanceUsdmExchangeInfo()),
    route('GET', '/v1/ticker/24hr', 'ticker', false, (p) => usdmTicker(state, requireParam(p, 'symbol'))),
    route('GET', '/v1/leverageBracket', 'leverageBracket', true, () => binanceLeverageBrackets()),
    route('GET', '/v2/account', 'balance', true, () => usdmAccount(state)),
    route('GET', '/v3/account', 'balance', true, () => usdmAccount(state)),
    route('GET', '/v2/positionRisk', 'positions', true, (p) => positionRisk(state, p.symbol)),
    route('GET', '/v3/positionRisk', 'positions', true, (p) => positionRisk(state, p.symbol)),
    route('POST', '/v1/leverage', 'setLeverage', true, (p) => {
      const symbol = requireParam(p, 'symbol');
      state.leverage[symbol] = Number(requireParam(p, 'leverage'));
      return { leverage: state.leverage[symbol], maxNotionalValue: '480000000', symbol };
    }),
    route('POST', '/v1/marginType', 'setMarginMode', true, (p) => {
      const symbol = requireParam(p, 'symbol');
      const marginType = requireParam(p, 'marginType') as 'ISOLATED' | 'CROSSED';
      if (state.marginType[symbol] === marginType)
        throw binanceError(-4046, 'No need to change margin type.');
      state.marginType[symbol] = marginType;
      return { code: 200, msg: 'success' };
    }),
    ...futuresOrderRoutes(state, 'usdm', route, (p) => createUsdmOrder(state, p, false), usdmOrderView),
    route('POST', '/v1/algoOrder', 'createOrder', true, (p) => algoView(createUsdmOrder(state, p, true))),
    route('GET', '/v1/algoOrder', 'queryAlgoOrder', true, (p) => algoView(state.findOrder('usdm', p, true))),
    route('GET', '/v1/openAlgoOrders', 'openAlgoOrders', true, (p) =>
      state.openOrders('usdm', p.symbol, true).map(algoView),
    ),
    route('DELETE', '/v1/algoOpenOrders', 'cancelAllAlgo', true, (p) => {
      for (const order of state.openOrders('usdm', requireParam(p, 'symbol'), true))
        order.status = 'CANCELED';
      return { code: 200, msg: 'success' };
    }),
  ];
}

function createUsdmOrder(
  state: BinanceFakeState,
  p: Record<string, unknown>,
  algo: boolean,
): BinanceFakeOrder {
  const o = readFuturesOrder(state, 'usdm', p, { params: algo ? ALGO_PARAMS : ORDER_PARAMS, algo });
  const { symbol, side, type, quantity, price, market, reduceOnly } = o;
  if (!reduceOnly && quantity * price < (MIN_NOTIONAL[symbol] ?? 5)) {
    throw binanceError(
      -4164,
      `Order's notional must be no smaller than ${MIN_NOTIONAL[symbol]} (unless you choose reduce only).`,
    );
  }
  if (!reduceOnly && !algo && (quantity * price) / state.leverage[symbol] > availableMargin(state)) {
    throw binanceError(-2019, 'Margin is insufficient.');
  }
  const order = newBinanceOrder(state, {
    ...o,
    price: type === 'LIMIT' ? price : 0,
    stopPrice: Number(p.triggerPrice ?? p.stopPrice ?? 0),
    timeInForce: p.timeInForce,
  });
  const crosses = side === 'BUY' ? price >= market : price <= market;
  if (type === 'MARKET') {
    Object.assign(order, { status: 'FILLED', executedQty: quantity, avgPrice: market });
    state.applyPositionFill(symbol, side, quantity, market);
  } else if (type === 'LIMIT' && order.timeInForce === 'GTX' && crosses) {
    order.status = 'EXPIRED'; // post-only that would take: Binance expires it instead of filling
  }
  state.orders.push(order);
  return order;
}
