import { type Market } from '../../../src/exchange/exchange-session';
import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import {
  BINANCE_BTC_USDM,
  SIGNAL_ID,
  balances,
  codeOf,
  input,
  legsOf,
  ordersOf,
  position,
  stepsOf,
} from './fixtures';

const PRICE = 50000;
const M = BINANCE_BTC_USDM;

const at = (contracts: number, alert: Partial<Alert>, market: Market = M) =>
  planSignal(
    input(alert, {
      market,
      snapshot: { position: position(market, contracts), balances: balances({ USDT: 10000 }), price: PRICE },
    }),
  );

const SHORT = -0.5;
const FLAT = 0;
const LONG = 0.5;

describe('planSignal on a linear perpetual (binance BTC/USDT:USDT), in contracts', () => {
  describe('when each action meets a short, no, or a long position', () => {
    it.each([
      // alert, position, expected legs in order
      [{ action: 'buy', quantity: 0.2 }, SHORT, ['open buy 0.2']],
      [{ action: 'buy', quantity: 0.2 }, LONG, ['open buy 0.2']],
      [{ action: 'sell', quantity: 0.2 }, LONG, ['open sell 0.2']],
      [{ action: 'long', quantity: 0.2 }, SHORT, ['close buy 0.5', 'open buy 0.2']],
      [{ action: 'long', quantity: 0.2 }, FLAT, ['open buy 0.2']],
      [{ action: 'long', quantity: 0.2 }, LONG, ['open buy 0.2']],
      [{ action: 'short', quantity: 0.2 }, LONG, ['close sell 0.5', 'open sell 0.2']],
      [{ action: 'short', quantity: 0.2 }, FLAT, ['open sell 0.2']],
      [{ action: 'short', quantity: 0.2 }, SHORT, ['open sell 0.2']],
      [{ action: 'close' }, LONG, ['close sell 0.5']],
      [{ action: 'close' }, SHORT, ['close buy 0.5']],
      [{ action: 'close', quantity: 0.2 }, LONG, ['close sell 0.2']],
      [{ action: 'close', quantity: 0.2 }, SHORT, ['close buy 0.2']],
      [{ action: 'close', quantity: 3 }, LONG, ['close sell 0.5']],
      [{ action: 'close', quantity: 50, quantityType: 'percent_of_position' }, SHORT, ['close buy 0.25']],
      [{ action: 'reverse' }, LONG, ['close sell 0.5', 'open sell 0.5']],
      [{ action: 'reverse' }, SHORT, ['close buy 0.5', 'open buy 0.5']],
      [{ action: 'reverse', quantity: 0.2 }, LONG, ['close sell 0.5', 'open sell 0.2']],
      [
        { action: 'reverse', quantity: 200, quantityType: 'percent_of_position' },
        SHORT,
        ['close buy 0.5', 'open buy 1'],
      ],
      [{ action: 'reverse', sentiment: 'long', quantity: 0.2 }, FLAT, ['open buy 0.2']],
      [{ action: 'reverse', sentiment: 'short' }, LONG, ['close sell 0.5', 'open sell 0.5']],
    ] as const)('when %j at position %p, then %j', (alert, contracts, expected) => {
      expect(legsOf(at(contracts, alert as Partial<Alert>))).toEqual(expected);
    });
  });

  describe('when sentiment is the target state (TradersPost semantics)', () => {
    it.each([
      [{ sentiment: 'flat' }, LONG, ['close sell 0.5']],
      [{ sentiment: 'flat' }, SHORT, ['close buy 0.5']],
      [{ sentiment: 'long', quantity: 0.2 }, SHORT, ['close buy 0.5', 'open buy 0.2']],
      [{ sentiment: 'short', quantity: 0.2 }, FLAT, ['open sell 0.2']],
      // buy + flat closes the short and does not open a long.
      [{ action: 'buy', sentiment: 'flat', quantity: 0.2 }, SHORT, ['close buy 0.5']],
      [{ action: 'buy', sentiment: 'flat' }, LONG, []],
      [{ action: 'sell', sentiment: 'flat' }, LONG, ['close sell 0.5']],
      [{ action: 'sell', sentiment: 'flat' }, SHORT, []],
      [{ action: 'buy', sentiment: 'long', quantity: 0.2 }, SHORT, ['close buy 0.5', 'open buy 0.2']],
      [{ action: 'sell', sentiment: 'short', quantity: 0.2 }, LONG, ['close sell 0.5', 'open sell 0.2']],
      // buy + short: part of the short is covered; sell + long: part of the long is sold.
      [{ action: 'buy', sentiment: 'short', quantity: 0.2 }, SHORT, ['close buy 0.2']],
      [{ action: 'buy', sentiment: 'short', quantity: 0.2 }, LONG, []],
      [{ action: 'sell', sentiment: 'long', quantity: 0.2 }, LONG, ['close sell 0.2']],
      [{ action: 'sell', sentiment: 'long', quantity: 0.9 }, LONG, ['close sell 0.5']],
    ] as const)('when %j at position %p, then %j', (alert, contracts, expected) => {
      expect(legsOf(at(contracts, alert as Partial<Alert>))).toEqual(expected);
    });
  });

  describe('when reduceOnly is set', () => {
    it.each([
      [{ action: 'buy', quantity: 0.2, reduceOnly: true }, SHORT, ['close buy 0.2']],
      [{ action: 'buy', quantity: 0.9, reduceOnly: true }, SHORT, ['close buy 0.5']],
      [{ action: 'buy', quantity: 0.2, reduceOnly: true }, LONG, []],
      [{ action: 'sell', quantity: 0.2, reduceOnly: true }, FLAT, []],
      [{ action: 'long', quantity: 0.2, reduceOnly: true }, SHORT, ['close buy 0.5']],
      [{ action: 'long', quantity: 0.2, reduceOnly: true }, FLAT, []],
      [{ positionSize: -1, reduceOnly: true }, LONG, ['close sell 0.5']],
    ] as const)(
      'when %j at position %p, then only reducing legs remain: %j',
      (alert, contracts, expected) => {
        const p = at(contracts, alert as Partial<Alert>);
        expect(legsOf(p)).toEqual(expected);
        expect(ordersOf(p).every((o) => o.reduceOnly === true)).toBe(true);
      },
    );

    it('when an opening leg is dropped, then a note says so', () => {
      const p = at(SHORT, { action: 'long', quantity: 0.2, reduceOnly: true });
      expect(p.ok && p.notes).toContain('reduceOnly: the opening leg was left out');
    });
  });

  it('when a short is flipped to a long, then the close is reduce-only and the open is not', () => {
    const [close, open] = ordersOf(at(SHORT, { action: 'long', quantity: 0.2 }));
    expect(close).toEqual({
      leg: 'close',
      clientOrderId: `th${SIGNAL_ID.slice(4)}close`,
      symbol: 'BTC/USDT:USDT',
      side: 'buy',
      type: 'market',
      amount: 0.5,
      referencePrice: PRICE,
      reduceOnly: true,
    });
    expect(open).toMatchObject({
      leg: 'open',
      clientOrderId: `th${SIGNAL_ID.slice(4)}open`,
      side: 'buy',
      amount: 0.2,
    });
    expect(open.reduceOnly).toBeUndefined();
  });

  it('when a limit flip is planned, then both legs rest at the limit price', () => {
    const p = at(LONG, { action: 'reverse', orderType: 'limit', price: 50100.04, timeInForce: 'GTC' });
    expect(ordersOf(p).map((o) => [o.leg, o.type, o.price, o.timeInForce])).toEqual([
      ['close', 'limit', 50100, 'GTC'],
      ['open', 'limit', 50100, 'GTC'],
    ]);
  });

  describe('when there is nothing to act on', () => {
    it.each([
      [{ action: 'close' }, 'no position to close'],
      [{ sentiment: 'flat' }, 'no position to close'],
      [{ action: 'sell', sentiment: 'long', quantity: 0.2 }, 'no long position to reduce'],
    ] as const)('when %j while flat, then no steps and the note says %s', (alert, note) => {
      const p = at(FLAT, alert as Partial<Alert>);
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes).toEqual([note]);
    });

    it('when reverse arrives while flat without a sentiment, then it is refused (no side to reverse to)', () => {
      const p = at(FLAT, { action: 'reverse' });
      expect(codeOf(p)).toBe('nothing_to_reverse');
      if (!p.ok) expect(p.reason).toMatch(/flat/);
    });

    it('when reverse + sentiment contradicts the reversal, then it is refused', () => {
      expect(codeOf(at(LONG, { action: 'reverse', sentiment: 'long' }))).toBe('contradictory_signal');
    });

    it('when reverse + sentiment arrives flat without a quantity, then it is refused', () => {
      expect(codeOf(at(FLAT, { action: 'reverse', sentiment: 'long' }))).toBe('quantity_required');
    });
  });

  describe('when the position snapshot is missing or odd, then it is refused rather than assumed flat', () => {
    const base = { price: PRICE, balances: balances({ USDT: 10000 }) };
    it.each([
      ['missing', base, 'snapshot_incomplete'],
      [
        'of another symbol',
        { ...base, position: { symbol: 'ETH/USDT:USDT', contracts: 1, side: 'long' } },
        'position_mismatch',
      ],
      [
        'flat with contracts',
        { ...base, position: { symbol: M.symbol, contracts: 2, side: 'flat' } },
        'snapshot_incomplete',
      ],
      [
        'without a size',
        { ...base, position: { symbol: M.symbol, contracts: NaN, side: 'long' } },
        'snapshot_incomplete',
      ],
    ] as const)('when the position is %s, then %s', (_what, snapshot, code) => {
      const p = planSignal(
        input({ action: 'long', quantity: 0.1 }, { market: M, snapshot: snapshot as never }),
      );
      expect(codeOf(p)).toBe(code);
    });

    it('when an adapter reports a short with unsigned contracts, then the side decides the sign', () => {
      const p = planSignal(
        input(
          { action: 'close' },
          { market: M, snapshot: { position: { symbol: M.symbol, contracts: 0.5, side: 'short' } } },
        ),
      );
      expect(legsOf(p)).toEqual(['close buy 0.5']);
    });

    it('when a plain buy does not depend on the position, then it needs none', () => {
      const p = planSignal(
        input({ action: 'buy', quantity: 0.2 }, { market: M, snapshot: { price: PRICE } }),
      );
      expect(legsOf(p)).toEqual(['open buy 0.2']);
    });
  });

  describe('when the market data cannot size contracts', () => {
    it.each([
      ['no contractSize', { ...M, contractSize: undefined }],
      ['a zero contractSize', { ...M, contractSize: 0 }],
      ['no linear flag', { ...M, linear: undefined }],
    ])('when the market has %s, then it is refused', (_what, market) => {
      expect(codeOf(at(FLAT, { action: 'buy', quantity: 1 }, market))).toBe('market_incomplete');
    });

    it('when the market is an option, then it is refused as not supported', () => {
      expect(codeOf(at(FLAT, { action: 'buy', quantity: 1 }, { ...M, type: 'option' }))).toBe(
        'not_supported',
      );
    });

    it('when the market is a dated future, then it is planned like a swap', () => {
      const future: Market = { ...M, symbol: 'BTC/USDT:USDT-250926', id: 'BTCUSDT_250926', type: 'future' };
      expect(legsOf(at(SHORT, { action: 'long', quantity: 0.2 }, future))).toEqual([
        'close buy 0.5',
        'open buy 0.2',
      ]);
    });
  });
});
