import { binanceCoinmExchangeInfo, binanceCoinmLeverageBrackets } from './binance-coinm-markets';
import {
  type BinanceFakeOrder,
  type BinanceFakeState,
  binanceError,
  fixed,
  requireParam,
} from './binance-state';
import { futuresOrderRoutes, newBinanceOrder, readFuturesOrder, routesUnder } from './route-helpers';
import { type FakeRoute } from './fake-exchange-server';
import { usdmTicker } from './binance-usdm-views';

/** USD value of one BTCUSD_PERP contract. */
const CONTRACT_USD = 100;

/**
 * Binance COIN-M futures REST (dapi.binance.com/dapi) over the shared fake state: the inverse perpetual
 * BTCUSD_PERP, quantities in contracts of 100 USD, margin in BTC, one-way position mode.
 */
export function binanceCoinmRoutes(state: BinanceFakeState): FakeRoute[] {
  const route = routesUnder('/dapi');
  return [
    route('GET', '/v1/exchangeInfo', 'coinmExchangeInfo', false, () => binanceCoinmExchangeInfo()),
    // COIN-M answers a list even for one symbol.
    route('GET', '/v1/ticker/24hr', 'ticker', false, (p) => {
      const symbol = requireParam(p, 'symbol');
      return [{ ...usdmTicker(state, symbol), pair: 'BTCUSD', baseVolume: '10.0' }];
    }),
    route('GET', '/v2/leverageBracket', 'leverageBracket', true, () => binanceCoinmLeverageBrackets()),
    route('GET', '/v1/positionRisk', 'positions', true, (p) => coinmPositions(state, p.pair ?? p.symbol)),
    route('GET', '/v1/account', 'balance', true, () => coinmAccount(state)),
    ...futuresOrderRoutes(state, 'coinm', route, (p) => createCoinmOrder(state, p), coinmOrderView),
  ];
}

function createCoinmOrder(state: BinanceFakeState, p: Record<string, unknown>): BinanceFakeOrder {
  const o = readFuturesOrder(state, 'coinm', p, {
    checkQuantity: (quantity) => {
      if (!Number.isInteger(quantity) || quantity < 1)
        throw binanceError(-1111, 'Precision is over the maximum defined for this asset.');
    },
  });
  const { symbol, side, quantity, market } = o;
  const marginBtc = (quantity * CONTRACT_USD) / o.price / state.leverage[symbol];
  if (!o.reduceOnly && marginBtc > state.coinmWalletBtc) throw binanceError(-2019, 'Margin is insufficient.');
  const order = newBinanceOrder(state, {
    ...o,
    price: o.type === 'LIMIT' ? o.price : 0,
    stopPrice: Number(p.stopPrice ?? 0),
    timeInForce: p.timeInForce,
  });
  if (o.type === 'MARKET') {
    Object.assign(order, { status: 'FILLED', executedQty: quantity, avgPrice: market });
    state.applyPositionFill(symbol, side, quantity, market);
  }
  state.orders.push(order);
  return order;
}

function coinmOrderView(o: BinanceFakeOrder) {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    pair: 'BTCUSD',
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: fixed(o.price, 1),
    avgPrice: fixed(o.avgPrice, 1),
    origQty: String(o.quantity),
    executedQty: String(o.executedQty),
    // Inverse: the cost is in the base coin, contracts × 100 USD ÷ price.
    cumBase: o.avgPrice > 0 ? fixed((o.executedQty * CONTRACT_USD) / o.avgPrice) : '0',
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: 'BOTH',
    stopPrice: fixed(o.stopPrice, 1),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    time: o.time,
    updateTime: o.updateTime,
  };
}

function coinmPositions(state: BinanceFakeState, filter: unknown) {
  const symbol = 'BTCUSD_PERP';
  if (filter !== undefined && filter !== symbol && filter !== 'BTCUSD') return [];
  const p = state.positions[symbol] ?? { amount: 0, entryPrice: 0 };
  const mark = state.price(symbol);
  return [
    {
      symbol,
      positionAmt: String(p.amount),
      entryPrice: fixed(p.entryPrice, 1),
      breakEvenPrice: fixed(p.entryPrice, 1),
      markPrice: fixed(mark, 8),
      unRealizedProfit: '0',
      liquidationPrice: '0',
      leverage: String(state.leverage[symbol]),
      maxQty: '100',
      marginType: 'cross',
      isolatedMargin: '0',
      isAutoAddMargin: 'false',
      positionSide: 'BOTH',
      notionalValue: fixed((p.amount * CONTRACT_USD) / mark),
      isolatedWallet: '0',
      updateTime: Date.now(),
    },
  ];
}

function coinmAccount(state: BinanceFakeState) {
  const wallet = fixed(state.coinmWalletBtc);
  return {
    feeTier: 0,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    assets: [
      {
        asset: 'BTC',
        walletBalance: wallet,
        unrealizedProfit: '0',
        marginBalance: wallet,
        maintMargin: '0',
        initialMargin: '0',
        positionInitialMargin: '0',
        openOrderInitialMargin: '0',
        maxWithdrawAmount: wallet,
        crossWalletBalance: wallet,
        crossUnPnl: '0',
        availableBalance: wallet,
      },
    ],
    positions: [],
  };
}
