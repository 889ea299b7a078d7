import { RATE_LIMITS } from './binance-markets';

/**
 * GET /dapi/v1/exchangeInfo: the COIN-M (inverse) perpetual BTCUSD_PERP — 1 contract = 100 USD, margined and
 * settled in BTC, whole contracts only. A contract market whose contract size is not 1.
 */
export function binanceCoinmExchangeInfo() {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: RATE_LIMITS,
    exchangeFilters: [],
    symbols: [
      {
        symbol: 'BTCUSD_PERP',
        pair: 'BTCUSD',
        contractType: 'PERPETUAL',
        deliveryDate: 4133404800000,
        onboardDate: 1597042800000,
        contractStatus: 'TRADING',
        contractSize: 100,
        marginAsset: 'BTC',
        maintMarginPercent: '2.5000',
        requiredMarginPercent: '5.0000',
        baseAsset: 'BTC',
        quoteAsset: 'USD',
        pricePrecision: 1,
        quantityPrecision: 0,
        baseAssetPrecision: 8,
        quotePrecision: 8,
        equalQtyPrecision: 4,
        maxMoveOrderLimit: 10000,
        triggerProtect: '0.0500',
        underlyingType: 'COIN',
        underlyingSubType: [],
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '1000', maxPrice: '4520958', tickSize: '0.1' },
          { filterType: 'LOT_SIZE', stepSize: '1', maxQty: '1000000', minQty: '1' },
          { filterType: 'MARKET_LOT_SIZE', stepSize: '1', maxQty: '60000', minQty: '1' },
          { filterType: 'MAX_NUM_ORDERS', limit: 200 },
          {
            filterType: 'PERCENT_PRICE',
            multiplierUp: '1.0500',
            multiplierDown: '0.9500',
            multiplierDecimal: 4,
          },
        ],
        orderTypes: [
          'LIMIT',
          'MARKET',
          'STOP',
          'STOP_MARKET',
          'TAKE_PROFIT',
          'TAKE_PROFIT_MARKET',
          'TRAILING_STOP_MARKET',
        ],
        timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
        liquidationFee: '0.015000',
        marketTakeBound: '0.05',
      },
    ],
  };
}

/** GET /dapi/v2/leverageBracket (ccxt loads it before parsing COIN-M positions). */
export function binanceCoinmLeverageBrackets() {
  return [
    {
      symbol: 'BTCUSD_PERP',
      notionalCoef: 1,
      brackets: [
        { bracket: 1, initialLeverage: 125, qtyCap: 5, qtyFloor: 0, maintMarginRatio: 0.004, cum: 0 },
        { bracket: 2, initialLeverage: 100, qtyCap: 10, qtyFloor: 5, maintMarginRatio: 0.005, cum: 0.005 },
      ],
    },
  ];
}
