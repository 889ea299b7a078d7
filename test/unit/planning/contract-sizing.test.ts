import { type Market } from '../../../src/exchange/exchange-session';
import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Precision } from '../../../src/execution/planning/precision';
import { type Alert } from '../../../src/signals/alert';
import {
  BINANCE_BTC_COINM,
  BINANCE_BTC_USDM,
  BYBIT_ETH_LINEAR,
  OKX_BTC_SWAP,
  balances,
  codeOf,
  input,
  legsOf,
  ordersOf,
  position,
} from './fixtures';

interface Case {
  market: Market;
  price: number;
  wallet: Record<string, number>;
  held?: number;
}

const plan = ({ market, price, wallet, held = 0 }: Case, alert: Partial<Alert>, maxOrderCost?: number) =>
  planSignal(
    input(alert, {
      market,
      snapshot: { position: position(market, held), balances: balances(wallet), price },
      risk: maxOrderCost === undefined ? {} : { maxOrderCost },
    }),
  );

const BINANCE: Case = { market: BINANCE_BTC_USDM, price: 50000, wallet: { USDT: 10000 } };
const BYBIT: Case = { market: BYBIT_ETH_LINEAR, price: 3000, wallet: { USDT: 2000 } };
/** OKX: 1 contract = 0.01 BTC, so 1 contract is worth 500 USDT at 50,000. */
const OKX: Case = { market: OKX_BTC_SWAP, price: 50000, wallet: { USDT: 10000 } };
/** binance COIN-M: 1 contract = 100 USD, margined in BTC. */
const COINM: Case = { market: BINANCE_BTC_COINM, price: 50000, wallet: { BTC: 0.1 } };

describe('planSignal sizing on contracts (amounts are contracts; base units are converted with the contract size)', () => {
  describe('when each sizing mode meets each kind of contract', () => {
    it.each([
      ['binance', BINANCE, { quantity: 0.25 }, 'open buy 0.25'],
      ['binance', BINANCE, { quantity: 1000, quantityType: 'quote' }, 'open buy 0.02'],
      ['binance', BINANCE, { quantity: 10, quantityType: 'percent_of_equity' }, 'open buy 0.02'],
      ['bybit', BYBIT, { quantity: 1.234 }, 'open buy 1.23'],
      ['bybit', BYBIT, { quantity: 100, quantityType: 'quote' }, 'open buy 0.03'],
      ['bybit', BYBIT, { quantity: 50, quantityType: 'percent_of_equity' }, 'open buy 0.33'],
      // base is base units everywhere: 0.05 BTC = 5 OKX contracts of 0.01 BTC; contracts are sent as they are.
      ['okx', OKX, { quantity: 0.05 }, 'open buy 5'],
      ['okx', OKX, { quantity: 5, quantityType: 'contracts' }, 'open buy 5'],
      ['okx', OKX, { quantity: 1000, quantityType: 'quote' }, 'open buy 2'],
      ['okx', OKX, { quantity: 1234, quantityType: 'quote' }, 'open buy 2.46'],
      ['okx', OKX, { quantity: 10, quantityType: 'percent_of_equity' }, 'open buy 2'],
      // 0.006 BTC at 50,000 = 300 USD = 3 contracts of 100 USD.
      ['coin-m', COINM, { quantity: 0.006 }, 'open buy 3'],
      ['coin-m', COINM, { quantity: 3, quantityType: 'contracts' }, 'open buy 3'],
      ['binance', BINANCE, { quantity: 0.25, quantityType: 'contracts' }, 'open buy 0.25'],
      ['coin-m', COINM, { quantity: 1000, quantityType: 'quote' }, 'open buy 10'],
      // 10 % of 0.1 BTC = 0.01 BTC = 500 USD = 5 contracts of 100 USD.
      ['coin-m', COINM, { quantity: 10, quantityType: 'percent_of_equity' }, 'open buy 5'],
      ['coin-m', COINM, { quantity: 1050, quantityType: 'quote' }, 'open buy 10'],
    ] as const)('when %s gets %j, then %s', (_name, c, alert, expected) => {
      expect(legsOf(plan(c, { action: 'buy', ...alert } as Partial<Alert>))).toEqual([expected]);
    });

    it.each([
      ['binance', { ...BINANCE, held: 0.4 }, 'open buy 0.2'],
      ['okx', { ...OKX, held: -7 }, 'open buy 3.5'],
      ['coin-m', { ...COINM, held: 9 }, 'open buy 4'],
    ] as const)(
      'when %s sizes by percent_of_position (50 %%), then it is half the contracts held',
      (_n, c, expected) => {
        expect(legsOf(plan(c, { action: 'buy', quantity: 50, quantityType: 'percent_of_position' }))).toEqual(
          [expected],
        );
      },
    );
  });

  describe('when base units differ from contracts, then the conversion is in the notes', () => {
    it('when 0.05 BTC is asked on OKX, then 5 contracts of 0.01 BTC are sent and a note says so', () => {
      const p = plan(OKX, { action: 'buy', quantity: 0.05 });
      expect(legsOf(p)).toEqual(['open buy 5']);
      expect(p.ok && p.notes).toEqual(['quantity 0.05 BTC = 5 contracts (1 contract = 0.01 BTC)']);
    });

    it('when 0.006 BTC is asked on an inverse market, then it is converted at the price and a note says so', () => {
      const p = plan(COINM, { action: 'buy', quantity: 0.006 });
      expect(p.ok && p.notes).toEqual(['quantity 0.006 BTC at 50000 = 3 contracts (1 contract = 100 USD)']);
    });

    it('when base units on an inverse market come without any price, then it is refused rather than guessed', () => {
      const p = planSignal(
        input(
          { action: 'buy', quantity: 0.006 },
          { market: BINANCE_BTC_COINM, snapshot: { position: position(BINANCE_BTC_COINM, 0) } },
        ),
      );
      expect(codeOf(p)).toBe('price_required');
      if (!p.ok) expect(p.reason).toMatch(/inverse market .* needs a price.*or quantityType "contracts"/);
    });

    it('when a contract is one base unit (Binance, Bybit linear), then no note is added', () => {
      const p = plan(BINANCE, { action: 'buy', quantity: 0.25 });
      expect(p.ok && p.notes).toBeUndefined();
    });

    it('when positionSize targets 0.05 BTC on OKX while 2 contracts are held, then 3 contracts are bought', () => {
      const p = plan({ ...OKX, held: 2 }, { action: 'buy', positionSize: 0.05 });
      expect(legsOf(p)).toEqual(['open buy 3']);
      expect(p.ok && p.notes).toEqual(['positionSize 0.05 BTC = 5 contracts (1 contract = 0.01 BTC)']);
    });

    it('when positionSize comes with quantityType contracts, then it is a number of contracts', () => {
      expect(legsOf(plan({ ...OKX, held: 2 }, { positionSize: 5, quantityType: 'contracts' }))).toEqual([
        'open buy 3',
      ]);
    });

    it('when positionSize comes with a quote or percent quantityType, then it is refused: those cannot measure a position', () => {
      const p = plan(OKX, { positionSize: 5, quantityType: 'quote' });
      expect(codeOf(p)).toBe('invalid_quantity_type');
    });
  });

  it('when percent_of_equity comes with leverage, then the notional is NOT multiplied by the leverage', () => {
    const without = plan(BINANCE, { action: 'long', quantity: 10, quantityType: 'percent_of_equity' });
    const with10x = plan(BINANCE, {
      action: 'long',
      quantity: 10,
      quantityType: 'percent_of_equity',
      leverage: 10,
    });
    expect(legsOf(without)).toEqual(['open buy 0.02']);
    expect(legsOf(with10x)).toEqual(['open buy 0.02']);
  });

  it('when percent_of_equity flips a position, then it is of the free balance before the close', () => {
    const p = plan(
      { ...BINANCE, held: -0.5 },
      { action: 'long', quantity: 10, quantityType: 'percent_of_equity' },
    );
    expect(legsOf(p)).toEqual(['close buy 0.5', 'open buy 0.02']);
  });

  it('when the settle currency differs from the quote, then percent_of_equity is refused', () => {
    const usdcSettled: Market = { ...BINANCE_BTC_USDM, symbol: 'BTC/USDT:USDC', settle: 'USDC' };
    const p = plan(
      { ...BINANCE, market: usdcSettled },
      { action: 'buy', quantity: 10, quantityType: 'percent_of_equity' },
    );
    expect(codeOf(p)).toBe('not_supported');
  });

  describe('when minimums apply, then they are checked per leg before anything is sent', () => {
    it('when an opening order is below binance’s 100 USDT min notional, then it is refused', () => {
      const p = plan(BINANCE, { action: 'long', quantity: 0.001 });
      expect(codeOf(p)).toBe('below_min_cost');
      if (!p.ok)
        expect(p.reason).toBe(
          "order value 50 USDT is under the market's minimum 100 USDT (open buy of 0.001 contracts (0.001 BTC))",
        );
    });

    it('when a reduce-only close is below the min notional, then it is allowed (exchanges exempt it)', () => {
      expect(legsOf(plan({ ...BINANCE, held: 0.001 }, { action: 'close' }))).toEqual(['close sell 0.001']);
    });

    it('when a flip’s opening leg is too small, then the whole flip is refused and nothing is closed', () => {
      const p = plan({ ...BINANCE, held: -0.5 }, { action: 'long', quantity: 0.001 });
      expect(codeOf(p)).toBe('below_min_cost');
    });

    it('when the contracts round to zero, then it is refused with the step in the reason', () => {
      const p = plan(OKX, { action: 'buy', quantity: 0.00005 });
      expect(codeOf(p)).toBe('below_min_amount');
      if (!p.ok)
        expect(p.reason).toMatch(/0.005 contracts \(0.00005 BTC\) rounds to 0 at the market's step 0.01/);
    });

    it('when a quote size buys less than one contract, then it is refused', () => {
      expect(codeOf(plan(COINM, { action: 'buy', quantity: 50, quantityType: 'quote' }))).toBe(
        'below_min_amount',
      );
    });

    it('when a partial close is below the min amount, then it is refused', () => {
      const p = plan({ ...BINANCE, held: 0.5 }, { action: 'close', quantity: 0.0004 });
      expect(codeOf(p)).toBe('below_min_amount');
    });

    it('when above the max amount, then it is refused', () => {
      expect(codeOf(plan(BINANCE, { action: 'buy', quantity: 1500 }))).toBe('above_max_amount');
    });
  });

  describe('when the account has a maxOrderCost, then the notional uses the contract size', () => {
    it.each([
      [
        'okx: 2 contracts = 1,000 USDT',
        OKX,
        { quantity: 2, quantityType: 'contracts' },
        999,
        'max_order_cost',
      ],
      ['okx: 2 contracts = 1,000 USDT', OKX, { quantity: 2, quantityType: 'contracts' }, 1000, 'ok'],
      ['okx: 0.02 BTC = 1,000 USDT', OKX, { quantity: 0.02 }, 999, 'max_order_cost'],
      [
        'coin-m: 10 contracts = 1,000 USD',
        COINM,
        { quantity: 10, quantityType: 'contracts' },
        999,
        'max_order_cost',
      ],
      ['coin-m: 10 contracts = 1,000 USD', COINM, { quantity: 10, quantityType: 'contracts' }, 1000, 'ok'],
      ['binance: 0.1 BTC = 5,000 USDT', BINANCE, { quantity: 0.1 }, 4999.99, 'max_order_cost'],
    ] as const)('when %s and the limit is %p, then %s', (_n, c, alert, max, expected) => {
      expect(codeOf(plan(c, { action: 'long', ...alert }, max))).toBe(expected);
    });

    it('when a large position is closed, then maxOrderCost does not trap it', () => {
      expect(legsOf(plan({ ...OKX, held: 100 }, { action: 'close' }, 100))).toEqual(['close sell 100']);
    });

    it('when a flip’s close is large but its open is within the limit, then only the open is checked', () => {
      const p = plan({ ...OKX, held: -100 }, { action: 'long', quantity: 1, quantityType: 'contracts' }, 600);
      expect(legsOf(p)).toEqual(['close buy 100', 'open buy 1']);
    });
  });

  describe('when the injected precision is the exchange’s (ccxt)', () => {
    it('when ccxt’s amountToPrecision would throw for a zero result, then it is never called with dust', () => {
      const calls: number[] = [];
      const precision: Precision = {
        amount: (_s, x) => {
          calls.push(x);
          if (x < 0.01) throw new Error('amount must be greater than minimum amount precision');
          return Math.floor(x * 100) / 100;
        },
        price: (_s, x) => x,
      };
      const p = planSignal({
        ...input({ action: 'buy', quantity: 0.004, quantityType: 'contracts' }, { market: OKX_BTC_SWAP }),
        precision,
      });
      expect(codeOf(p)).toBe('below_min_amount');
      expect(calls).toEqual([]);
    });

    it('when the precision function fails, then the plan is refused with its message', () => {
      const precision: Precision = {
        amount: () => {
          throw new Error('boom');
        },
        price: (_s, x) => x,
      };
      const p = planSignal({ ...input({ action: 'buy', quantity: 1 }, { market: OKX_BTC_SWAP }), precision });
      expect(codeOf(p)).toBe('precision_error');
      if (!p.ok) expect(p.reason).toContain('boom');
    });

    it('when the precision function rounds a size up, then the plan is refused (sizes must truncate)', () => {
      const rounding: Precision = { amount: (_s, x) => Math.round(x * 100) / 100, price: (_s, x) => x };
      const p = planSignal({
        ...input({ action: 'buy', quantity: 1.006, quantityType: 'contracts' }, { market: OKX_BTC_SWAP }),
        precision: rounding,
      });
      expect(codeOf(p)).toBe('precision_error');
      if (!p.ok) expect(p.reason).toMatch(/rounded up to 1.01/);
    });

    it('when float noise would lose a step under truncation, then it is cleaned first', () => {
      const truncatingString: Precision = {
        // ccxt truncates the decimal string: 0.19999999999999998 → 0.199.
        amount: (_s, x) => Number(String(x).replace(/^(\d+\.\d{3}).*$/, '$1')),
        price: (_s, x) => x,
      };
      const base = input(
        { positionSize: 0.3 },
        { market: BINANCE_BTC_USDM, snapshot: { position: position(BINANCE_BTC_USDM, 0.1), price: 50000 } },
      );
      expect(ordersOf(planSignal({ ...base, precision: truncatingString })).map((o) => o.amount)).toEqual([
        0.2,
      ]);
    });
  });
});
