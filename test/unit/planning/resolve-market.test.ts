import { type Market } from '../../../src/exchange/exchange-session';
import { resolveMarket } from '../../../src/execution/planning/resolve-market';
import { BINANCE_MARKETS, BYBIT_MARKETS, OKX_MARKETS } from './fixtures';

const resolved = (r: ReturnType<typeof resolveMarket>) => (r.ok ? r.market.symbol : `${r.code}`);

describe('resolveMarket', () => {
  describe('when a binance symbol is written in any accepted format', () => {
    it.each([
      // text, account default type, expected ccxt symbol
      ['BTCUSDT', 'spot', 'BTC/USDT'],
      ['BTCUSDT', 'swap', 'BTC/USDT:USDT'],
      ['BINANCE:BTCUSDT', 'spot', 'BTC/USDT'],
      ['BINANCE:BTCUSDT', 'swap', 'BTC/USDT:USDT'],
      ['BTCUSDT.P', 'spot', 'BTC/USDT:USDT'],
      ['BTCUSDT.P', 'swap', 'BTC/USDT:USDT'],
      ['BINANCE:BTCUSDT.P', 'spot', 'BTC/USDT:USDT'],
      ['BTC/USDT', 'spot', 'BTC/USDT'],
      ['BTC/USDT', 'swap', 'BTC/USDT:USDT'],
      ['BTC/USDT:USDT', 'spot', 'BTC/USDT:USDT'],
      ['BTC/USDT:USDT', 'swap', 'BTC/USDT:USDT'],
      ['BTC-USDT', 'spot', 'BTC/USDT'],
      ['BTC_USDT', 'swap', 'BTC/USDT:USDT'],
      ['btcusdt', 'spot', 'BTC/USDT'],
      ['  ethusdt  ', 'spot', 'ETH/USDT'],
      ['ETHBTC', 'spot', 'ETH/BTC'],
      ['BTCUSD_PERP', 'swap', 'BTC/USD:BTC'],
      ['BTC/USD:BTC', 'spot', 'BTC/USD:BTC'],
    ] as const)('when "%s" on a %s account, then it is %s', (text, defaultType, expected) => {
      expect(resolved(resolveMarket(text, BINANCE_MARKETS, { defaultType }))).toBe(expected);
    });
  });

  describe('when the exchange names markets differently (OKX, Bybit)', () => {
    it.each([
      [OKX_MARKETS, 'BTC-USDT-SWAP', 'spot', 'BTC/USDT:USDT'],
      [OKX_MARKETS, 'BTC-USDT-SWAP', 'swap', 'BTC/USDT:USDT'],
      [OKX_MARKETS, 'OKX:BTCUSDT.P', 'spot', 'BTC/USDT:USDT'],
      [OKX_MARKETS, 'BTCUSDT', 'swap', 'BTC/USDT:USDT'],
      [OKX_MARKETS, 'BTC-USDT', 'spot', 'BTC/USDT'],
      [BYBIT_MARKETS, 'BYBIT:ETHUSDT.P', 'spot', 'ETH/USDT:USDT'],
      [BYBIT_MARKETS, 'ETHUSDT', 'spot', 'ETH/USDT'],
      // The only BTC/USD swap on Bybit is inverse: TradingView's BYBIT:BTCUSD.P.
      [BYBIT_MARKETS, 'BYBIT:BTCUSD.P', 'spot', 'BTC/USD:BTC'],
      [BYBIT_MARKETS, 'BTC/USD', 'swap', 'BTC/USD:BTC'],
    ] as const)('when %#: "%s" on a %s account, then it is %s', (markets, text, defaultType, expected) => {
      expect(resolved(resolveMarket(text, markets, { defaultType }))).toBe(expected);
    });

    it('when "BTC-USDT-SWAP" is given on an OKX spot account, then the explicit swap id wins', () => {
      expect(resolved(resolveMarket('BTC-USDT-SWAP', OKX_MARKETS, { defaultType: 'spot' }))).toBe(
        'BTC/USDT:USDT',
      );
    });
  });

  describe('when the symbol is unknown', () => {
    it('when a typo is sent, then it is refused with the closest symbols in the reason', () => {
      const r = resolveMarket('BTCUSTD', BINANCE_MARKETS, { defaultType: 'spot' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.code).toBe('unknown_symbol');
      expect(r.candidates).toContain('BTC/USDT');
      expect(r.candidates.length).toBeLessThanOrEqual(3);
      expect(r.reason).toContain('unknown symbol "BTCUSTD" (looked for BTCUSTD)');
      expect(r.reason).toMatch(/closest: .*BTC\/USDT/);
    });

    it('when a pair has no perpetual on a swap account, then it is refused naming the swap looked for', () => {
      const r = resolveMarket('ETHUSDT', BINANCE_MARKETS, { defaultType: 'swap' });
      expect(r).toMatchObject({ ok: false, code: 'unknown_symbol' });
      if (r.ok) return;
      expect(r.reason).toContain('looked for ETH/USDT:USDT');
      expect(r.candidates.length).toBeGreaterThan(0);
    });

    it('when a pair is listed only as a perpetual, then a spot account does not trade the perpetual', () => {
      const onlySwap = { 'BTC/USDT:USDT': BINANCE_MARKETS['BTC/USDT:USDT'] };
      // binance's perpetual id is BTCUSDT too: the id alone must not switch the market type.
      const r = resolveMarket('BTCUSDT', onlySwap, { defaultType: 'spot' });
      expect(r).toMatchObject({ ok: false, code: 'unknown_symbol', candidates: ['BTC/USDT:USDT'] });
    });

    it('when the text is nothing like any market, then no candidates are invented', () => {
      const r = resolveMarket('ZZZZZZZZZZZZZZQQQQQ', BINANCE_MARKETS, { defaultType: 'spot' });
      expect(r).toMatchObject({ ok: false, code: 'unknown_symbol', candidates: [] });
    });

    it('when a fully qualified ccxt symbol is not listed, then it is refused', () => {
      const r = resolveMarket('ETH/USDT:USDT', BINANCE_MARKETS, { defaultType: 'swap' });
      expect(r).toMatchObject({ ok: false, code: 'unknown_symbol' });
    });
  });

  describe('when the market is not active', () => {
    it('when LUNA/USDT is delisted, then it still resolves, inactive: the planner refuses orders but lets a cancel through', () => {
      const r = resolveMarket('LUNAUSDT', BINANCE_MARKETS, { defaultType: 'spot' });
      expect(r).toMatchObject({ ok: true, market: { symbol: 'LUNA/USDT', active: false } });
    });
  });

  describe('when the session builds synthetic markets (offline paper exchange)', () => {
    const synthetic = (base: string, quote: string): Market => ({
      symbol: `${base}/${quote}`,
      id: `${base}${quote}`,
      base,
      quote,
      type: 'spot',
      active: true,
      precision: { amount: 1e-8, price: 1e-8 },
      limits: { amount: { min: 1e-8 }, cost: { min: 0 } },
    });

    it('when any spot pair is asked for, then it is built', () => {
      const r = resolveMarket('BINANCE:SOLUSDT', {}, { defaultType: 'spot', syntheticMarket: synthetic });
      expect(resolved(r)).toBe('SOL/USDT');
    });

    it('when a perpetual is asked for, then no spot market stands in for it', () => {
      const r = resolveMarket('SOLUSDT.P', {}, { defaultType: 'spot', syntheticMarket: synthetic });
      expect(r).toMatchObject({ ok: false, code: 'unknown_symbol' });
    });

    describe('when the simulator also builds linear perpetuals', () => {
      const withSwaps = (base: string, quote: string, type: 'spot' | 'swap'): Market =>
        type === 'spot'
          ? synthetic(base, quote)
          : {
              ...synthetic(base, quote),
              symbol: `${base}/${quote}:${quote}`,
              type: 'swap',
              settle: quote,
              linear: true,
              contractSize: 1,
            };

      it.each([
        ['BYBIT:BTCUSDT.P', 'spot', 'BTC/USDT:USDT'],
        ['BTCUSDT', 'swap', 'BTC/USDT:USDT'],
        ['BTC/USDT:USDT', 'spot', 'BTC/USDT:USDT'],
        ['BTCUSDT', 'spot', 'BTC/USDT'],
      ] as const)(
        'when %s is asked for on a %s account, then %s is built',
        (symbol, defaultType, expected) => {
          expect(resolved(resolveMarket(symbol, {}, { defaultType, syntheticMarket: withSwaps }))).toBe(
            expected,
          );
        },
      );

      it('when an inverse perpetual is written out, then none is built', () => {
        const r = resolveMarket('BTC/USD:BTC', {}, { defaultType: 'swap', syntheticMarket: withSwaps });
        expect(r).toMatchObject({ ok: false, code: 'unknown_symbol' });
      });
    });
  });
});
