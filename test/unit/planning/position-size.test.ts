import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import {
  BINANCE_BTC_SPOT,
  BINANCE_BTC_USDM,
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

const swapAt = (contracts: number, alert: Partial<Alert>) =>
  planSignal(input(alert, { market: M, snapshot: { position: position(M, contracts), price: PRICE } }));

const spotHolding = (btc: number | [number, number], alert: Partial<Alert>) =>
  planSignal(input(alert, { snapshot: { balances: balances({ BTC: btc, USDT: 10000 }), price: PRICE } }));

describe('planSignal with positionSize (target signed position)', () => {
  describe('when the target meets the real position on a perpetual, then only the difference is traded', () => {
    it.each([
      // current, alert, expected legs
      [0, { positionSize: 1 }, ['open buy 1']],
      [0, { positionSize: -1 }, ['open sell 1']],
      [0.4, { positionSize: 1 }, ['open buy 0.6']],
      [1, { positionSize: 0.4 }, ['close sell 0.6']],
      [1, { positionSize: 0 }, ['close sell 1']],
      [-1, { positionSize: 0 }, ['close buy 1']],
      [-1, { positionSize: -0.25 }, ['close buy 0.75']],
      // Across zero: a reduce-only close of all, then exactly the target: never more than intended.
      [1, { positionSize: -1 }, ['close sell 1', 'open sell 1']],
      [-0.3, { positionSize: 0.7 }, ['close buy 0.3', 'open buy 0.7']],
      // TradingView's {{strategy.order.action}} with {{strategy.position_size}}.
      [1, { action: 'sell', positionSize: -1 }, ['close sell 1', 'open sell 1']],
      [-1, { action: 'buy', positionSize: -0.5 }, ['close buy 0.5']],
      [0, { action: 'close', positionSize: 0 }, []],
      [2, { action: 'short', positionSize: 0 }, ['close sell 2']],
    ] as const)('when at %p and %j, then %j', (current, alert, expected) => {
      expect(legsOf(swapAt(current, alert as Partial<Alert>))).toEqual(expected);
    });
  });

  it('when the same alert arrives twice, then the second one finds the target reached and trades nothing', () => {
    const alert = { action: 'buy', positionSize: 1 } as const;
    expect(legsOf(swapAt(0, alert))).toEqual(['open buy 1']);
    const repeat = swapAt(1, alert);
    expect(stepsOf(repeat)).toEqual([]);
    expect(repeat.ok && repeat.notes).toEqual(['already at the target position 1 contracts (1 BTC)']);
  });

  it('when an alert was missed, then the next one trades the whole difference', () => {
    // The buy to +1 was missed, so the account is flat: the sell to -1 sells 1, not the strategy's 2.
    expect(legsOf(swapAt(0, { action: 'sell', positionSize: -1 }))).toEqual(['open sell 1']);
    expect(legsOf(swapAt(0.5, { action: 'buy', positionSize: 2 }))).toEqual(['open buy 1.5']);
  });

  describe('when the action gives a direction, then it never trades the other way', () => {
    it.each([
      [2, { action: 'long', positionSize: 1 }],
      [1, { action: 'long', positionSize: 1 }],
      [2, { action: 'buy', positionSize: 1 }],
      [-2, { action: 'sell', positionSize: -1 }],
      [-1, { action: 'short', positionSize: -1 }],
    ] as const)('when at %p and %j, then nothing is done', (current, alert) => {
      const p = swapAt(current, alert);
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.length).toBe(1);
    });

    it('when a long is already beyond the target, then the note says why nothing was sold', () => {
      const p = swapAt(2, { action: 'long', positionSize: 1 });
      expect(p.ok && p.notes?.[0]).toMatch(/already at or beyond the target 1 contracts \(1 BTC\) for a buy/);
    });
  });

  describe('when the difference is too small to trade', () => {
    it('when it rounds to zero, then the position is left as it is', () => {
      expect(stepsOf(swapAt(1, { positionSize: 1.0004 }))).toEqual([]);
    });

    it('when adding to a position is below the min notional, then the adjustment is skipped with a note', () => {
      const p = swapAt(1, { positionSize: 1.001 });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.join()).toMatch(
        /open leg skipped: order value .* is under the market's minimum 100 USDT/,
      );
    });

    it('when opening from flat is below the minimum, then it is refused (the target cannot be reached)', () => {
      expect(codeOf(swapAt(0, { positionSize: 0.001 }))).toBe('below_min_cost');
    });

    it('when a reduce-only reduction is below the min notional, then it is still sent', () => {
      expect(legsOf(swapAt(1, { positionSize: 0.999 }))).toEqual(['close sell 0.001']);
    });
  });

  it('when the flip’s legs are planned, then the close is reduce-only and each leg has its own client id', () => {
    const [close, open] = ordersOf(swapAt(1, { positionSize: -1 }));
    expect(close.reduceOnly).toBe(true);
    expect(open.reduceOnly).toBeUndefined();
    expect(close.clientOrderId).not.toBe(open.clientOrderId);
  });

  describe('when the market is spot, then the holding (total, incl. open orders) is the position', () => {
    it.each([
      [0, { positionSize: 0.1 }, ['open buy 0.1']],
      [0.04, { positionSize: 0.1 }, ['open buy 0.06']],
      [0.1, { positionSize: 0.1 }, []],
      [0.3, { positionSize: 0.1 }, ['close sell 0.2']],
      [0.3, { positionSize: 0 }, ['close sell 0.3']],
      [0.3, { action: 'buy', positionSize: 0.1 }, []],
      // 0.2 total, 0.05 held by an open order: no extra buy, because the resting order still counts.
      [[0.15, 0.2], { positionSize: 0.2 }, []],
    ] as const)('when holding %p and %j, then %j', (held, alert, expected) => {
      expect(legsOf(spotHolding(held as number | [number, number], alert as Partial<Alert>))).toEqual(
        expected,
      );
    });

    it('when a sale exceeds what is free, then the free part is sold with a note', () => {
      const p = spotHolding([0.15, 0.3], { positionSize: 0 });
      expect(legsOf(p)).toEqual(['close sell 0.15']);
      expect(p.ok && p.notes?.join()).toMatch(/held by open orders/);
    });

    it('when a repeat buy finds only the fee-sized remainder missing, then it is skipped, not refused', () => {
      // Bought 0.1, received 0.0999 after a 0.1 % fee in BTC: 0.0001 BTC is 5 USDT, 0.00009 is not.
      const p = spotHolding(0.09991, { action: 'buy', positionSize: 0.1 });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.join()).toMatch(/under the market's minimum 5 USDT/);
    });

    it('when the target is negative, then it is refused', () => {
      expect(codeOf(spotHolding(0.1, { positionSize: -0.1 }))).toBe('spot_short');
    });

    it('when the market is spot BTC/USDT, then the plan is for that market', () => {
      expect(ordersOf(spotHolding(0, { positionSize: 0.1 }))[0].symbol).toBe(BINANCE_BTC_SPOT.symbol);
    });
  });
});
