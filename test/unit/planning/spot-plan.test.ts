import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import {
  BINANCE_ETHBTC_SPOT,
  BINANCE_LUNA_SPOT,
  OKX_BTC_SPOT,
  SIGNAL_ID,
  balances,
  codeOf,
  input,
  legsOf,
  ordersOf,
  stepsOf,
} from './fixtures';

const PRICE = 50000;
/** 1,000 USDT free; 0.2 BTC of which 0.15 free (0.05 held by an open order). */
const WALLET = { balances: balances({ USDT: 1000, BTC: [0.15, 0.2] }), price: PRICE };

const plan = (alert: Partial<Alert>, snapshot = WALLET) => planSignal(input(alert, { snapshot }));

describe('planSignal on spot (binance BTC/USDT)', () => {
  describe('when buying or selling, then each sizing mode gives the base amount', () => {
    it.each([
      [{ action: 'buy', quantity: 0.1 }, ['open buy 0.1']],
      [{ action: 'buy', quantity: 0.123456789 }, ['open buy 0.12345']],
      [{ action: 'buy', quantity: 100, quantityType: 'quote' }, ['open buy 0.002']],
      [{ action: 'buy', quantity: 10, quantityType: 'percent_of_equity' }, ['open buy 0.002']],
      [{ action: 'buy', quantity: 50, quantityType: 'percent_of_position' }, ['open buy 0.1']],
      [{ action: 'long', quantity: 0.1 }, ['open buy 0.1']],
      [{ action: 'buy', sentiment: 'long', quantity: 0.1 }, ['open buy 0.1']],
      [{ sentiment: 'long', quantity: 0.1 }, ['open buy 0.1']],
      [{ action: 'sell', quantity: 0.1 }, ['close sell 0.1']],
      [{ action: 'sell', quantity: 100, quantityType: 'quote' }, ['close sell 0.002']],
      // percent_of_equity is of the free QUOTE balance, for sells too (the alert contract).
      [{ action: 'sell', quantity: 10, quantityType: 'percent_of_equity' }, ['close sell 0.002']],
      [{ action: 'sell', quantity: 50, quantityType: 'percent_of_position' }, ['close sell 0.1']],
    ] as const)('when %j, then %j', (alert, expected) => {
      expect(legsOf(plan(alert as Partial<Alert>))).toEqual(expected);
    });
  });

  it('when a market buy is planned, then the intent carries everything the executor needs and nothing else', () => {
    expect(ordersOf(plan({ action: 'buy', quantity: 0.1 }))).toEqual([
      {
        leg: 'open',
        clientOrderId: `th${SIGNAL_ID.slice(4)}open`,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        amount: 0.1,
        referencePrice: PRICE,
      },
    ]);
  });

  it('when a limit order is planned, then its price is rounded and postOnly/timeInForce pass through', () => {
    const [order] = ordersOf(
      plan({
        action: 'buy',
        orderType: 'limit',
        price: 49999.996,
        quantity: 0.1,
        postOnly: true,
        timeInForce: 'GTC',
      }),
    );
    expect(order).toMatchObject({
      type: 'limit',
      price: 50000,
      postOnly: true,
      timeInForce: 'GTC',
      amount: 0.1,
    });
    expect(order.reduceOnly).toBeUndefined();
  });

  it('when a market order carries a timeInForce, then it is not sent (exchanges refuse it on market orders)', () => {
    const [order] = ordersOf(plan({ action: 'buy', quantity: 0.1, timeInForce: 'IOC' }));
    expect(order.type).toBe('market');
    expect(order.timeInForce).toBeUndefined();
  });

  it('when a limit buy is sized in quote, then the limit price is what it divides by', () => {
    const p = plan({ action: 'buy', orderType: 'limit', price: 40000, quantity: 100, quantityType: 'quote' });
    expect(legsOf(p)).toEqual(['open buy 0.0025']);
  });

  it('when the pair is quoted in BTC, then quote sizing is in BTC', () => {
    const p = planSignal(
      input(
        { action: 'buy', quantity: 0.01, quantityType: 'quote' },
        { market: BINANCE_ETHBTC_SPOT, snapshot: { price: 0.05 } },
      ),
    );
    expect(legsOf(p)).toEqual(['open buy 0.2']);
  });

  describe('when the alert asks for what spot cannot do, then it is refused with a reason', () => {
    it.each([
      [{ action: 'short', quantity: 0.1 }, 'spot_short'],
      [{ sentiment: 'short', quantity: 0.1 }, 'spot_short'],
      [{ action: 'sell', sentiment: 'short', quantity: 0.1 }, 'spot_short'],
      [{ action: 'buy', sentiment: 'short', quantity: 0.1 }, 'spot_short'],
      [{ action: 'buy', reduceOnly: true, quantity: 0.1 }, 'spot_short'],
      [{ action: 'reverse' }, 'spot_short'],
      [{ positionSize: -0.1 }, 'spot_short'],
      [{ action: 'buy', quantity: 0.1, leverage: 3 }, 'not_supported_on_spot'],
      [{ action: 'buy', quantity: 0.1, marginMode: 'isolated' }, 'not_supported_on_spot'],
      [{ action: 'close', leverage: 3 }, 'not_supported_on_spot'],
    ] as const)('when %j, then %s', (alert, code) => {
      const p = plan(alert as Partial<Alert>);
      expect(codeOf(p)).toBe(code);
      if (!p.ok) expect(p.reason).toMatch(/spot|derivatives/);
    });
  });

  describe('when closing, then the free base balance is sold', () => {
    it.each([
      [{ action: 'close' }, ['close sell 0.15']],
      [{ sentiment: 'flat' }, ['close sell 0.15']],
      [{ action: 'sell', sentiment: 'flat' }, ['close sell 0.15']],
      // sentiment flat means flat: the quantity does not make it partial.
      [{ sentiment: 'flat', quantity: 0.01 }, ['close sell 0.15']],
      [{ action: 'close', quantity: 0.1 }, ['close sell 0.1']],
      [{ action: 'close', quantity: 50, quantityType: 'percent_of_position' }, ['close sell 0.1']],
      [{ action: 'sell', sentiment: 'long', quantity: 0.05 }, ['close sell 0.05']],
      [{ action: 'sell', reduceOnly: true, quantity: 0.05 }, ['close sell 0.05']],
    ] as const)('when %j, then %j', (alert, expected) => {
      expect(legsOf(plan(alert as Partial<Alert>))).toEqual(expected);
    });

    it('when a partial exit asks for more than is free, then the free part is sold and a note says why', () => {
      const p = plan({ action: 'close', quantity: 1 });
      expect(legsOf(p)).toEqual(['close sell 0.15']);
      expect(p.ok && p.notes?.join()).toMatch(/held by open orders/);
    });

    it('when an explicit sell asks for more than is held, then it is sent as asked (the exchange judges)', () => {
      expect(legsOf(plan({ action: 'sell', quantity: 1 }))).toEqual(['close sell 1']);
    });

    it('when nothing is held, then there is nothing to do, with a note', () => {
      const p = plan({ action: 'close' }, { balances: balances({ USDT: 1000 }), price: PRICE });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes).toEqual(['no free BTC to sell']);
    });

    it('when only dust below the min cost is held, then it is left alone with a note', () => {
      const p = plan({ action: 'close' }, { balances: balances({ BTC: 0.00005 }), price: PRICE });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.join()).toMatch(
        /close leg skipped: order value .* USDT is under the market's minimum 5 USDT/,
      );
    });

    it('when dust is below the min amount step, then it is left alone with a note', () => {
      const p = plan({ action: 'close' }, { balances: balances({ BTC: 0.000004 }), price: PRICE });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.join()).toMatch(/rounds to 0/);
    });

    it('when a partial exit is below the minimum, then it is refused (the trader asked for that size)', () => {
      expect(codeOf(plan({ action: 'close', quantity: 0.00005 }))).toBe('below_min_cost');
    });

    it('when buy + sentiment flat arrives on spot, then there is no short to close and nothing happens', () => {
      const p = plan({ action: 'buy', sentiment: 'flat' });
      expect(stepsOf(p)).toEqual([]);
      expect(p.ok && p.notes?.join()).toMatch(/no short/);
    });

    it('when sell + sentiment long with nothing free, then there is nothing to sell', () => {
      const p = plan(
        { action: 'sell', sentiment: 'long', quantity: 0.1 },
        { balances: balances({}), price: PRICE },
      );
      expect(stepsOf(p)).toEqual([]);
    });
  });

  describe('when sizes or prices are missing or too small, then it is refused before anything is sent', () => {
    it.each([
      [
        { action: 'buy', quantity: 0.000001 },
        WALLET,
        'below_min_amount',
        /rounds to 0 at the market's step 0.00001/,
      ],
      [
        { action: 'buy', quantity: 4, quantityType: 'quote' },
        WALLET,
        'below_min_cost',
        /^order value 4 USDT is under the market's minimum 5 USDT \(open buy of 0.00008 BTC\)$/,
      ],
      [
        { action: 'buy', quantity: 10000 },
        WALLET,
        'above_max_amount',
        /is over the market's maximum amount 9000 BTC/,
      ],
      [{ action: 'sell', quantity: 0.00009 }, WALLET, 'below_min_cost', /under the market's minimum 5 USDT/],
      [{ action: 'buy', quantity: 0.1 }, { balances: WALLET.balances }, 'price_required', /needs a price/],
      [{ action: 'buy', quantity: 100, quantityType: 'quote' }, {}, 'price_required', /needs a price/],
      [
        { action: 'buy', quantity: 10, quantityType: 'percent_of_equity' },
        { price: PRICE },
        'snapshot_incomplete',
        /balance/,
      ],
      [{ action: 'close' }, { price: PRICE }, 'snapshot_incomplete', /BTC balance was not fetched/],
      [
        { action: 'buy', quantity: 50, quantityType: 'percent_of_position' },
        { balances: balances({}), price: PRICE },
        'no_position',
        /needs an open position/,
      ],
      [
        { action: 'buy', quantity: 1, orderType: 'limit' },
        WALLET,
        'price_required',
        /limit order needs "price"/,
      ],
      [{ action: 'buy' }, WALLET, 'quantity_required', /needs a quantity/],
    ] as const)('when %j with %j, then %s', (alert, snapshot, code, reason) => {
      const p = plan(alert as Partial<Alert>, snapshot as typeof WALLET);
      expect(codeOf(p)).toBe(code);
      if (!p.ok) expect(p.reason).toMatch(reason);
    });

    it('when the market has no min cost and no maxOrderCost applies, then no price is needed', () => {
      const p = planSignal(input({ action: 'buy', quantity: 0.1 }, { market: OKX_BTC_SPOT }));
      expect(ordersOf(p)).toEqual([expect.objectContaining({ amount: 0.1, type: 'market' })]);
      expect(ordersOf(p)[0].referencePrice).toBeUndefined();
    });
  });

  describe('when the account has a maxOrderCost', () => {
    const risk = { maxOrderCost: 1000 };
    it('when a buy is worth more, then it is refused', () => {
      const p = planSignal(input({ action: 'buy', quantity: 0.1 }, { snapshot: WALLET, risk }));
      expect(codeOf(p)).toBe('max_order_cost');
      if (!p.ok)
        expect(p.reason).toMatch(/^maxOrderCost 1000 USDT exceeded: open buy of 0.1 BTC is worth 5000 USDT$/);
    });

    it('when a buy is worth exactly the limit, then it passes', () => {
      const p = planSignal(input({ action: 'buy', quantity: 0.02 }, { snapshot: WALLET, risk }));
      expect(legsOf(p)).toEqual(['open buy 0.02']);
    });

    it('when selling holdings worth more, then the exit is not blocked', () => {
      const p = planSignal(input({ action: 'close' }, { snapshot: WALLET, risk }));
      expect(legsOf(p)).toEqual(['close sell 0.15']);
    });
  });

  it('when the action is cancel, then the only step cancels the open orders of the symbol', () => {
    expect(stepsOf(plan({ action: 'cancel' }))).toEqual([{ kind: 'cancel_open', symbol: 'BTC/USDT' }]);
  });

  it('when the market is inactive, then orders are refused but cancel still works', () => {
    const buy = planSignal(
      input({ action: 'buy', quantity: 1 }, { market: BINANCE_LUNA_SPOT, snapshot: WALLET }),
    );
    expect(codeOf(buy)).toBe('market_inactive');
    const cancel = planSignal(input({ action: 'cancel' }, { market: BINANCE_LUNA_SPOT }));
    expect(stepsOf(cancel)).toEqual([{ kind: 'cancel_open', symbol: 'LUNA/USDT' }]);
  });
});
