import { type ExchangeCapabilities, type Market } from '../../../src/exchange/exchange-session';
import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import {
  BINANCE_BTC_SPOT,
  BINANCE_BTC_USDM,
  CAPS_ATTACHED,
  CAPS_SEPARATE,
  SIGNAL_ID,
  balances,
  codeOf,
  input,
  legsOf,
  ordersOf,
  position,
} from './fixtures';

const PRICE = 50000;

const plan = (
  alert: Partial<Alert>,
  { caps = CAPS_SEPARATE, market = BINANCE_BTC_USDM as Market, held = 0 } = {},
) =>
  planSignal(
    input(alert, {
      market,
      capabilities: caps as ExchangeCapabilities,
      snapshot: {
        position: position(market, held),
        balances: balances({ USDT: 10000, BTC: 1 }),
        price: PRICE,
      },
    }),
  );

/** `tp`/`sl` prices of a plan: attached to the entry, or of the separate trigger legs. */
const exitsOf = (p: ReturnType<typeof plan>) => {
  const orders = ordersOf(p);
  const entry = orders.find((o) => o.leg === 'open');
  return {
    attached: [entry?.takeProfitPrice, entry?.stopLossPrice],
    separate: orders.filter((o) => o.leg === 'tp' || o.leg === 'sl').map((o) => `${o.leg} ${o.triggerPrice}`),
  };
};

describe('planSignal take-profit / stop-loss', () => {
  describe('when TP/SL are given as prices or percents, then they are on the profitable / losing side', () => {
    it.each([
      [{ action: 'long', takeProfit: { price: 55000 }, stopLoss: { price: 48000 } }, 55000, 48000],
      [{ action: 'long', takeProfit: { percent: 2 }, stopLoss: { percent: 1 } }, 51000, 49500],
      [{ action: 'short', takeProfit: { percent: 2 }, stopLoss: { percent: 1 } }, 49000, 50500],
      [{ action: 'short', takeProfit: { price: 45000 }, stopLoss: { price: 52000 } }, 45000, 52000],
      [{ action: 'buy', takeProfit: { percent: 0.123 } }, 50061.5, undefined],
      [{ action: 'sell', stopLoss: { percent: 3.33333 } }, undefined, 51666.7],
      // A limit entry measures from its limit price.
      [{ action: 'long', orderType: 'limit', price: 40000, takeProfit: { percent: 10 } }, 44000, undefined],
    ] as const)('when %j, then TP %p and SL %p (attached)', (alert, tp, sl) => {
      const p = plan({ quantity: 0.1, ...alert } as Partial<Alert>, { caps: CAPS_ATTACHED });
      expect(exitsOf(p)).toEqual({ attached: [tp, sl], separate: [] });
    });
  });

  describe('when a TP/SL is on the wrong side of the price, then the signal is refused', () => {
    it.each([
      { action: 'long', takeProfit: { price: 49000 } },
      { action: 'long', takeProfit: { price: 50000 } },
      { action: 'long', stopLoss: { price: 51000 } },
      { action: 'short', takeProfit: { price: 51000 } },
      { action: 'short', stopLoss: { price: 49000 } },
      { action: 'long', stopLoss: { percent: 100 } },
      { action: 'short', takeProfit: { percent: 150 } },
      // A percent so small it rounds onto the price itself.
      { action: 'long', takeProfit: { percent: 0.00001 } },
    ] as const)('when %j, then tp_sl_wrong_side', (alert) => {
      for (const caps of [CAPS_ATTACHED, CAPS_SEPARATE]) {
        const p = plan({ quantity: 0.1, ...alert } as Partial<Alert>, { caps });
        expect(codeOf(p)).toBe('tp_sl_wrong_side');
        if (!p.ok) expect(p.reason).toMatch(/must be (above|below) it/);
      }
    });
  });

  it('when the exchange attaches TP/SL, then they ride on the entry and no extra legs are added', () => {
    const p = plan(
      { action: 'long', quantity: 0.1, takeProfit: { percent: 2 }, stopLoss: { percent: 1 } },
      { caps: CAPS_ATTACHED },
    );
    expect(legsOf(p)).toEqual(['open buy 0.1']);
    expect(ordersOf(p)[0]).toMatchObject({ takeProfitPrice: 51000, stopLossPrice: 49500 });
  });

  it('when the exchange cannot attach them, then reduce-only trigger orders follow the entry', () => {
    const p = plan({ action: 'short', quantity: 0.1, takeProfit: { percent: 2 }, stopLoss: { percent: 1 } });
    const orders = ordersOf(p);
    expect(orders.map((o) => o.leg)).toEqual(['open', 'tp', 'sl']);
    expect(orders[0].takeProfitPrice).toBeUndefined();
    expect(orders[1]).toEqual({
      leg: 'tp',
      clientOrderId: `th${SIGNAL_ID.slice(4)}tp`,
      symbol: 'BTC/USDT:USDT',
      side: 'buy',
      type: 'take_profit_market',
      amount: 0.1,
      triggerPrice: 49000,
      reduceOnly: true,
    });
    expect(orders[2]).toMatchObject({
      leg: 'sl',
      side: 'buy',
      type: 'stop_market',
      triggerPrice: 50500,
      reduceOnly: true,
    });
  });

  it('when a flip carries TP/SL as separate legs, then they come after the opening leg, sized like it', () => {
    const p = plan({ action: 'long', quantity: 0.2, stopLoss: { percent: 5 } }, { held: -0.5 });
    expect(legsOf(p)).toEqual(['close buy 0.5', 'open buy 0.2', 'sl sell 0.2']);
  });

  it('when separate exits would follow a limit entry, then the signal is refused', () => {
    const p = plan({
      action: 'long',
      orderType: 'limit',
      price: 49000,
      quantity: 0.1,
      stopLoss: { percent: 1 },
    });
    expect(codeOf(p)).toBe('tp_sl_not_supported');
    if (!p.ok) expect(p.reason).toMatch(/market entry/);
  });

  describe('when the market is spot', () => {
    const spot = { market: BINANCE_BTC_SPOT };
    it('when the exchange cannot attach TP/SL, then the buy is refused before anything is bought', () => {
      const p = plan({ action: 'buy', quantity: 0.1, stopLoss: { percent: 5 } }, spot);
      expect(codeOf(p)).toBe('tp_sl_not_supported');
      if (!p.ok) expect(p.reason).toMatch(/spot/);
    });

    it('when the exchange attaches them, then they ride on the spot buy', () => {
      const p = plan(
        { action: 'buy', quantity: 0.1, stopLoss: { percent: 5 } },
        { ...spot, caps: CAPS_ATTACHED },
      );
      expect(ordersOf(p)[0]).toMatchObject({ side: 'buy', stopLossPrice: 47500 });
    });
  });

  describe('when nothing is opened, then TP/SL are ignored with a note rather than blocking the exit', () => {
    it.each([
      [{ action: 'close', takeProfit: { percent: 2 } }, 0.5, ['close sell 0.5']],
      [{ sentiment: 'flat', stopLoss: { price: 1 } }, -0.5, ['close buy 0.5']],
      [{ positionSize: 0.2, action: 'buy', stopLoss: { percent: 1 } }, 0.2, []],
      [
        { action: 'sell', quantity: 0.1, reduceOnly: true, takeProfit: { price: 99999 } },
        0.5,
        ['close sell 0.1'],
      ],
    ] as const)('when %j at position %p, then %j', (alert, held, expected) => {
      const p = plan(alert as Partial<Alert>, { held });
      expect(legsOf(p)).toEqual(expected);
      expect(p.ok && p.notes).toContain('takeProfit/stopLoss ignored: nothing was opened');
    });
  });

  it('when a market entry has no price to measure from, then percent exits are refused', () => {
    const p = planSignal(
      input(
        { action: 'buy', quantity: 0.1, takeProfit: { percent: 1 } },
        { market: { ...BINANCE_BTC_USDM, limits: { amount: { min: 0.001 } } }, capabilities: CAPS_ATTACHED },
      ),
    );
    expect(codeOf(p)).toBe('price_required');
  });
});
