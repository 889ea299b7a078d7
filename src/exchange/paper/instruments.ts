import { type Market } from '../exchange-session';
import { dec, str } from './decimal';
import { type Instrument } from './paper-book';
import { refusal } from './refusals';

/** What the offline simulator can list: spot pairs and linear perpetuals settled in the quote. */
export type SyntheticType = 'spot' | 'swap';

/**
 * A market of the offline simulator, for any pair: `BTC/USDT` spot, or `BTC/USDT:USDT`, the linear perpetual
 * TradingView calls `BTCUSDT.P` (1 contract = 1 base unit). Steps of 1e-8 and no minimums: the simulator stands
 * in for whichever exchange the trader will use later, so it imposes no exchange's particular limits.
 */
export function syntheticMarket(base: string, quote: string, type: SyntheticType = 'spot'): Market {
  const common = {
    id: `${base}${quote}`,
    base,
    quote,
    active: true,
    precision: { amount: 1e-8, price: 1e-8 },
    limits: { amount: { min: 1e-8 }, cost: { min: 0 } },
  };
  if (type === 'spot') return { ...common, symbol: `${base}/${quote}`, type: 'spot' };
  return {
    ...common,
    symbol: `${base}/${quote}:${quote}`,
    type: 'swap',
    settle: quote,
    linear: true,
    contractSize: 1,
  };
}

/**
 * The market as the paper exchange charges it: every fill, maker or taker, pays `feeRate` in the quote (settle)
 * currency — on top of a buy's cost, out of a sale's proceeds — whatever the real exchange would charge.
 */
export function withPaperFees(market: Market, feeRate: number): Market {
  return { ...market, taker: feeRate, maker: feeRate, feeSide: 'quote' };
}

/** The offline market of a ccxt symbol the simulator itself built (`BTC/USDT`, `BTC/USDT:USDT`). */
export function offlineMarket(symbol: string): Market {
  const match = /^([^/:]+)\/([^/:]+)(?::([^/:]+))?$/.exec(symbol);
  if (!match) throw refusal('bad_symbol', `paper: ${symbol} is not a BASE/QUOTE or BASE/QUOTE:SETTLE symbol`);
  const [, base, quote, settle] = match;
  if (settle !== undefined && settle !== quote) {
    throw refusal(
      'not_supported',
      `paper: ${symbol} settles in ${settle}; only contracts settled in the quote are simulated`,
    );
  }
  return syntheticMarket(base, quote, settle === undefined ? 'spot' : 'swap');
}

/** How fills of a market book: spot pairs and linear contracts are simulated; inverse contracts and options not. */
export function instrumentOf(market: Market): Instrument {
  const common = { symbol: market.symbol, base: market.base, quote: market.quote };
  if (market.type === 'spot') {
    return { ...common, kind: 'spot', settle: market.quote, contractSize: '1' };
  }
  if (market.type === 'swap' && market.linear === true && market.contractSize !== undefined) {
    return {
      ...common,
      kind: 'linear',
      settle: market.settle ?? market.quote,
      contractSize: str(dec(market.contractSize)),
    };
  }
  throw refusal(
    'not_supported',
    `paper trading simulates spot markets and linear perpetuals; ${market.symbol} is a ${market.linear === false ? 'inverse ' : ''}${market.type}`,
  );
}
