/**
 * Binance exchangeInfo fixtures in the real response shape (GET /api/v3/exchangeInfo, GET /fapi/v1/exchangeInfo),
 * trimmed to a few symbols. Filter values are Binance's published ones for these pairs (2024-2025).
 */

const SPOT_ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];

function spotSymbol(
  symbol: string,
  base: string,
  tickSize: string,
  stepSize: string,
  minQty: string,
  maxQty = '9000.00000000',
  marketMaxQty = '83.50000000',
) {
  return {
    symbol,
    status: 'TRADING',
    baseAsset: base,
    baseAssetPrecision: 8,
    quoteAsset: 'USDT',
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: SPOT_ORDER_TYPES,
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: true,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tickSize, maxPrice: '1000000.00000000', tickSize },
      { filterType: 'LOT_SIZE', minQty, maxQty, stepSize },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: marketMaxQty, stepSize: '0.00000000' },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function usdmSymbol(symbol: string, base: string, tickSize: string, stepSize: string, minNotional: string) {
  return {
    symbol,
    pair: symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: base,
    quoteAsset: 'USDT',
    marginAsset: 'USDT',
    pricePrecision: 2,
    quantityPrecision: 3,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: ['PoW'],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: '556.80', maxPrice: '4529764', tickSize },
      { filterType: 'LOT_SIZE', stepSize, maxQty: '1000', minQty: stepSize },
      { filterType: 'MARKET_LOT_SIZE', stepSize, maxQty: '120', minQty: stepSize },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: minNotional },
      {
        filterType: 'PERCENT_PRICE',
        multiplierUp: '1.0500',
        multiplierDown: '0.9500',
        multiplierDecimal: '4',
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
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
  };
}

export const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
];

/** An extra spot pair the fake can list on request (`new FakeBinance('binance', { extraSymbols })`). */
export interface SpotListing {
  base: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  /** LOT_SIZE maxQty. */
  maxQty: string;
  /** MARKET_LOT_SIZE maxQty. */
  marketMaxQty: string;
  /** The fake's last price (USDT), in the pair's recent range. */
  price: number;
}

const listing = (
  base: string,
  tickSize: string,
  stepSize: string,
  maxQty: string,
  marketMaxQty: string,
  price: number,
): SpotListing => ({ base, tickSize, stepSize, minQty: stepSize, maxQty, marketMaxQty, price });

/**
 * USDT spot pairs beyond BTCUSDT and ETHUSDT, with filters close to Binance's published ones (2024-2025) and
 * prices in their recent range. Only listed when asked for: the default fake keeps its two pairs.
 */
export const EXTRA_SPOT_LISTINGS: Readonly<Record<string, SpotListing>> = {
  BNBUSDT: listing('BNB', '0.01000000', '0.00100000', '900000.00000000', '1500.00000000', 600),
  SOLUSDT: listing('SOL', '0.01000000', '0.00100000', '9000000.00000000', '4000.00000000', 150),
  XRPUSDT: listing('XRP', '0.00010000', '0.10000000', '9222449.00000000', '1500000.00000000', 2.2),
  DOGEUSDT: listing('DOGE', '0.00001000', '1.00000000', '9000000000.00000000', '4500000.00000000', 0.15),
  ADAUSDT: listing('ADA', '0.00010000', '0.10000000', '900000.00000000', '1200000.00000000', 0.45),
  TRXUSDT: listing('TRX', '0.00010000', '0.10000000', '9000000.00000000', '5000000.00000000', 0.25),
  AVAXUSDT: listing('AVAX', '0.01000000', '0.01000000', '9000000.00000000', '30000.00000000', 30),
  LINKUSDT: listing('LINK', '0.01000000', '0.01000000', '9000000.00000000', '60000.00000000', 15),
  DOTUSDT: listing('DOT', '0.00100000', '0.01000000', '9000000.00000000', '90000.00000000', 6),
  LTCUSDT: listing('LTC', '0.01000000', '0.00100000', '900000.00000000', '6000.00000000', 80),
  BCHUSDT: listing('BCH', '0.10000000', '0.00100000', '900000.00000000', '1500.00000000', 400),
  XLMUSDT: listing('XLM', '0.00010000', '0.10000000', '9000000.00000000', '2000000.00000000', 0.3),
  ATOMUSDT: listing('ATOM', '0.00100000', '0.01000000', '9000000.00000000', '60000.00000000', 7),
  UNIUSDT: listing('UNI', '0.00100000', '0.01000000', '9000000.00000000', '50000.00000000', 8),
  NEARUSDT: listing('NEAR', '0.00100000', '0.10000000', '9000000.00000000', '150000.00000000', 5),
  APTUSDT: listing('APT', '0.00100000', '0.01000000', '9000000.00000000', '50000.00000000', 9),
  ARBUSDT: listing('ARB', '0.00010000', '0.10000000', '9000000.00000000', '700000.00000000', 0.8),
  OPUSDT: listing('OP', '0.00100000', '0.01000000', '9000000.00000000', '300000.00000000', 1.8),
  FILUSDT: listing('FIL', '0.00100000', '0.01000000', '9000000.00000000', '100000.00000000', 5),
  ETCUSDT: listing('ETC', '0.01000000', '0.01000000', '9000000.00000000', '20000.00000000', 25),
  SUIUSDT: listing('SUI', '0.00010000', '0.10000000', '9000000.00000000', '300000.00000000', 3),
};

/** The listing of an extra spot pair; throws for a pair the fake does not know (no made-up filters). */
export function extraSpotListing(symbol: string): SpotListing {
  const found = EXTRA_SPOT_LISTINGS[symbol];
  if (!found) {
    throw new Error(
      `fake binance: no listing for ${symbol}; known extras: ${Object.keys(EXTRA_SPOT_LISTINGS).join(', ')}`,
    );
  }
  return found;
}

/**
 * GET /api/v3/exchangeInfo: BTCUSDT and ETHUSDT, then `extraSymbols` (keys of {@link EXTRA_SPOT_LISTINGS});
 * symbols in `suspended` are listed with status BREAK (trading halted; ccxt marks them inactive).
 */
export function binanceSpotExchangeInfo(
  extraSymbols: readonly string[] = [],
  suspended: ReadonlySet<string> = new Set(),
) {
  const extras = extraSymbols.map((symbol) => {
    const l = extraSpotListing(symbol);
    return spotSymbol(symbol, l.base, l.tickSize, l.stepSize, l.minQty, l.maxQty, l.marketMaxQty);
  });
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: RATE_LIMITS,
    exchangeFilters: [],
    symbols: [
      spotSymbol('BTCUSDT', 'BTC', '0.01000000', '0.00001000', '0.00001000'),
      spotSymbol('ETHUSDT', 'ETH', '0.01000000', '0.00010000', '0.00010000'),
      ...extras,
    ].map((entry) => (suspended.has(entry.symbol) ? { ...entry, status: 'BREAK' } : entry)),
  };
}

export function binanceUsdmExchangeInfo() {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    futuresType: 'U_MARGINED',
    rateLimits: RATE_LIMITS,
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: [
      usdmSymbol('BTCUSDT', 'BTC', '0.10', '0.001', '100'),
      usdmSymbol('ETHUSDT', 'ETH', '0.01', '0.001', '20'),
    ],
  };
}

/** GET /fapi/v1/leverageBracket (ccxt loads it before parsing positions). */
export function binanceLeverageBrackets() {
  return ['BTCUSDT', 'ETHUSDT'].map((symbol) => ({
    symbol,
    brackets: [
      {
        bracket: 1,
        initialLeverage: 125,
        notionalCap: 50000,
        notionalFloor: 0,
        maintMarginRatio: 0.004,
        cum: 0,
      },
      {
        bracket: 2,
        initialLeverage: 100,
        notionalCap: 600000,
        notionalFloor: 50000,
        maintMarginRatio: 0.005,
        cum: 50,
      },
    ],
  }));
}
