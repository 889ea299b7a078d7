/** Binance USDⓈ-M response shapes of the fake's state. */
import { type BinanceFakeOrder, type BinanceFakeState, fixed, round } from './binance-state';

export function availableMargin(state: BinanceFakeState): number {
  const used = Object.entries(state.positions).reduce(
    (sum, [symbol, p]) => sum + (Math.abs(p.amount) * p.entryPrice) / state.leverage[symbol],
    0,
  );
  return state.usdmWalletBalance - used;
}

export function usdmOrderView(o: BinanceFakeOrder) {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: fixed(o.price, 2),
    avgPrice: fixed(o.avgPrice, 2),
    origQty: fixed(o.quantity, 3),
    executedQty: fixed(o.executedQty, 3),
    cumQty: fixed(o.executedQty, 3),
    cumQuote: fixed(o.executedQty * o.avgPrice, 5),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: 'BOTH',
    stopPrice: fixed(o.stopPrice, 2),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}

export function algoView(o: BinanceFakeOrder) {
  return {
    algoId: o.orderId,
    clientAlgoId: o.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: o.type,
    symbol: o.symbol,
    side: o.side,
    positionSide: 'BOTH',
    timeInForce: o.timeInForce,
    quantity: fixed(o.quantity, 3),
    algoStatus: o.status,
    triggerPrice: fixed(o.stopPrice, 2),
    price: fixed(o.price, 2),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: false,
    priceProtect: false,
    reduceOnly: o.reduceOnly,
    createTime: o.time,
    updateTime: o.updateTime,
    triggerTime: 0,
    goodTillDate: 0,
  };
}

export function usdmTicker(state: BinanceFakeState, symbol: string) {
  const last = state.price(symbol);
  const now = Date.now();
  return {
    symbol,
    priceChange: '0.00',
    priceChangePercent: '0.000',
    weightedAvgPrice: fixed(last, 2),
    lastPrice: fixed(last, 2),
    lastQty: '0.010',
    openPrice: fixed(last, 2),
    highPrice: fixed(last, 2),
    lowPrice: fixed(last, 2),
    volume: '1000.000',
    quoteVolume: fixed(1000 * last, 2),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 1000,
    count: 1000,
  };
}

export function positionRisk(state: BinanceFakeState, symbol: unknown) {
  // v3 lists only symbols with a position (or open orders), like the real endpoint.
  return Object.entries(state.positions)
    .filter(([s, p]) => p.amount !== 0 && (symbol === undefined || s === symbol))
    .map(([s, p]) => {
      const mark = state.price(s);
      const notional = p.amount * mark;
      return {
        symbol: s,
        positionSide: 'BOTH',
        positionAmt: fixed(p.amount, 3),
        entryPrice: fixed(p.entryPrice, 1),
        breakEvenPrice: fixed(p.entryPrice, 1),
        markPrice: fixed(mark, 8),
        unRealizedProfit: fixed((mark - p.entryPrice) * p.amount),
        liquidationPrice: '0',
        isolatedMargin: '0',
        notional: fixed(notional),
        marginAsset: 'USDT',
        isolatedWallet: '0',
        initialMargin: fixed(Math.abs(notional) / state.leverage[s]),
        maintMargin: fixed(Math.abs(notional) * 0.004),
        positionInitialMargin: fixed(Math.abs(notional) / state.leverage[s]),
        openOrderInitialMargin: '0',
        adl: 1,
        bidNotional: '0',
        askNotional: '0',
        updateTime: Date.now(),
      };
    });
}

export function usdmAccount(state: BinanceFakeState) {
  const wallet = fixed(state.usdmWalletBalance);
  const available = fixed(round(availableMargin(state)));
  return {
    totalInitialMargin: '0.00000000',
    totalMaintMargin: '0.00000000',
    totalWalletBalance: wallet,
    totalUnrealizedProfit: '0.00000000',
    totalMarginBalance: wallet,
    totalPositionInitialMargin: '0.00000000',
    totalOpenOrderInitialMargin: '0.00000000',
    totalCrossWalletBalance: wallet,
    totalCrossUnPnl: '0.00000000',
    availableBalance: available,
    maxWithdrawAmount: available,
    assets: [
      {
        asset: 'USDT',
        walletBalance: wallet,
        unrealizedProfit: '0.00000000',
        marginBalance: wallet,
        maintMargin: '0.00000000',
        initialMargin: '0.00000000',
        positionInitialMargin: '0.00000000',
        openOrderInitialMargin: '0.00000000',
        crossWalletBalance: wallet,
        crossUnPnl: '0.00000000',
        availableBalance: available,
        maxWithdrawAmount: available,
        updateTime: Date.now(),
      },
    ],
    positions: [],
  };
}
