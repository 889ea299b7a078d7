/**
 * Bybit v5 GET /v5/market/instruments-info fixtures in the real response shape, trimmed to a few symbols.
 * Filter values are Bybit's published ones for these pairs (2024-2025).
 */

function linearInstrument(
  symbol: string,
  base: string,
  tickSize: string,
  qtyStep: string,
  maxLeverage: string,
) {
  return {
    symbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: base,
    quoteCoin: 'USDT',
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(tickSize.split('.')[1]?.length ?? 0),
    leverageFilter: { minLeverage: '1', maxLeverage, leverageStep: '0.01' },
    priceFilter: { minPrice: tickSize, maxPrice: '1999999.80', tickSize },
    lotSizeFilter: {
      maxOrderQty: '1190.000',
      minOrderQty: qtyStep,
      qtyStep,
      postOnlyMaxOrderQty: '1190.000',
      maxMktOrderQty: '119.000',
      minNotionalValue: '5',
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: 'USDT',
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    displayName: '',
  };
}

function spotInstrument(symbol: string, base: string, basePrecision: string, minOrderQty: string) {
  return {
    symbol,
    baseCoin: base,
    quoteCoin: 'USDT',
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: {
      basePrecision,
      quotePrecision: '0.00000001',
      minOrderQty,
      maxOrderQty: '71.73956243',
      minOrderAmt: '1',
      maxOrderAmt: '4000000',
    },
    priceFilter: { tickSize: '0.01' },
    riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
  };
}

/** The `result` of instruments-info for a category; empty for categories the fake does not list. */
export function bybitInstruments(
  category: string,
  status: unknown,
): { category: string; list: unknown[]; nextPageCursor: string } {
  let list: unknown[] = [];
  if (status === 'PreLaunch') list = [];
  else if (category === 'linear') {
    list = [
      linearInstrument('BTCUSDT', 'BTC', '0.10', '0.001', '100.00'),
      linearInstrument('ETHUSDT', 'ETH', '0.01', '0.01', '100.00'),
    ];
  } else if (category === 'spot') {
    list = [
      spotInstrument('BTCUSDT', 'BTC', '0.000001', '0.000048'),
      spotInstrument('ETHUSDT', 'ETH', '0.00001', '0.00062'),
    ];
  }
  return { category, list, nextPageCursor: '' };
}

/** Minimum order value (USDT) of linear contracts, as `minNotionalValue` says above. */
export const BYBIT_MIN_NOTIONAL = 5;
