/** Bybit v5 response shapes of the fake's state. */
import { type BybitFakeOrder, type BybitFakeState, available, price } from './bybit-state';

export function orderView(o: BybitFakeOrder) {
  const str = (n: number) => (n === 0 ? '0' : String(n));
  return {
    orderId: o.orderId,
    orderLinkId: o.orderLinkId,
    blockTradeId: '',
    symbol: o.symbol,
    price: str(o.price),
    qty: String(o.qty),
    side: o.side,
    isLeverage: '',
    positionIdx: 0,
    orderStatus: o.orderStatus,
    cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: o.avgPrice ? String(o.avgPrice) : '',
    leavesQty: str(o.qty - o.cumExecQty),
    leavesValue: str((o.qty - o.cumExecQty) * o.price),
    cumExecQty: str(o.cumExecQty),
    cumExecValue: str(o.cumExecQty * o.avgPrice),
    cumExecFee: str(o.cumExecQty * o.avgPrice * 0.00055),
    timeInForce: o.timeInForce,
    orderType: o.orderType,
    stopOrderType: o.conditional ? 'Stop' : '',
    orderIv: '',
    triggerPrice: str(o.triggerPrice),
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: o.triggerDirection,
    triggerBy: o.conditional ? 'LastPrice' : '',
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: false,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    placeType: '',
    createdTime: String(o.createdTime),
    updatedTime: String(o.updatedTime),
  };
}

export function positionList(s: BybitFakeState, symbol: unknown) {
  // With a symbol, Bybit answers an entry even for a flat position (side "", size "0").
  const symbols =
    symbol === undefined
      ? Object.keys(s.positions).filter((k) => s.positions[k].size !== 0)
      : [String(symbol)];
  return symbols.map((sym) => {
    const p = s.positions[sym] ?? { size: 0, avgPrice: 0 };
    const mark = price(s, sym);
    return {
      positionIdx: 0,
      riskId: 1,
      riskLimitValue: '2000000',
      symbol: sym,
      side: p.size > 0 ? 'Buy' : p.size < 0 ? 'Sell' : '',
      size: String(Math.abs(p.size)),
      avgPrice: String(p.avgPrice),
      positionValue: String(Math.abs(p.size) * p.avgPrice),
      tradeMode: 0,
      positionStatus: 'Normal',
      autoAddMargin: 0,
      adlRankIndicator: p.size ? 2 : 0,
      leverage: String(s.leverage[sym]),
      positionBalance: '0',
      markPrice: String(mark),
      liqPrice: '',
      bustPrice: '',
      positionMM: '0',
      positionIM: '0',
      tpslMode: 'Full',
      takeProfit: '0',
      stopLoss: '0',
      trailingStop: '0',
      unrealisedPnl: String((mark - p.avgPrice) * p.size),
      curRealisedPnl: '0',
      cumRealisedPnl: '0',
      seq: 1,
      isReduceOnly: false,
      mmrSysUpdatedTime: '',
      leverageSysUpdatedTime: '',
      sessionAvgPrice: '',
      createdTime: '1676538056258',
      updatedTime: String(Date.now()),
    };
  });
}

export function wallet(s: BybitFakeState) {
  const equity = String(s.walletUsdt);
  const free = String(available(s));
  return {
    totalEquity: equity,
    accountIMRate: '0',
    totalMarginBalance: equity,
    totalInitialMargin: '0',
    accountType: 'UNIFIED',
    totalAvailableBalance: free,
    accountMMRate: '0',
    totalPerpUPL: '0',
    totalWalletBalance: equity,
    accountLTV: '0',
    totalMaintenanceMargin: '0',
    coin: [
      {
        availableToBorrow: '',
        bonus: '0',
        accruedInterest: '0',
        availableToWithdraw: free,
        totalOrderIM: '0',
        equity,
        totalPositionMM: '0',
        usdValue: equity,
        unrealisedPnl: '0',
        collateralSwitch: true,
        spotHedgingQty: '0',
        borrowAmount: '0',
        totalPositionIM: '0',
        walletBalance: equity,
        cumRealisedPnl: '0',
        locked: '0',
        marginCollateral: true,
        coin: 'USDT',
      },
    ],
  };
}

export function ticker(s: BybitFakeState, symbol: string) {
  const last = String(price(s, symbol));
  return {
    symbol,
    lastPrice: last,
    indexPrice: last,
    markPrice: last,
    prevPrice24h: last,
    price24hPcnt: '0',
    highPrice24h: last,
    lowPrice24h: last,
    prevPrice1h: last,
    openInterest: '50000',
    openInterestValue: '3000000000',
    turnover24h: '1000000',
    volume24h: '1000',
    fundingRate: '0.0001',
    nextFundingTime: String(Date.now() + 3_600_000),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: '1',
    bid1Price: last,
    ask1Price: last,
    bid1Size: '1',
    basis: '',
  };
}
