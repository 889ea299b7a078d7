import { type Market, type OrderIntent } from '../../../src/exchange/exchange-session';
import {
  type Plan,
  type PlanInput,
  type Snapshot,
  planSignal,
  snapshotNeeds,
} from '../../../src/execution/planning/plan-signal';
import { type Action, type Alert, QUANTITY_TYPES, type Sentiment } from '../../../src/signals/alert';
import {
  BINANCE_BTC_COINM,
  BINANCE_BTC_SPOT,
  BINANCE_BTC_USDM,
  BYBIT_ETH_LINEAR,
  CAPS_ATTACHED,
  CAPS_SEPARATE,
  OKX_BTC_SWAP,
  balances,
  input,
  position,
} from './fixtures';

/**
 * Every action × sentiment × sizing mode × position × market, checked against the rules that must hold
 * for any plan: valid and unique client ids, reduce-only exactly on closing legs, closes never past flat,
 * sizes on the market's grid and within its limits, steps in order, and snapshotNeeds asking for exactly
 * what the plan uses.
 */

interface Venue {
  market: Market;
  price: number;
  /** Quantities per quantityType that are valid, tradeable sizes on this market. */
  quantity: Record<(typeof QUANTITY_TYPES)[number], number>;
  /** Position (contracts) or holding (base) to start from, as multiples: -1, 0, +1 of this. */
  held: number;
  wallet: Record<string, number>;
}

/** A venue trading `size` (base and contracts alike) or 1,000 quote, 10 % of equity, 50 % of the position. */
const venue = (
  market: Market,
  price: number,
  size: { base: number; contracts: number },
  held: number,
  wallet: Record<string, number> = { USDT: 10000 },
): Venue => ({
  market,
  price,
  quantity: { ...size, quote: 1000, percent_of_equity: 10, percent_of_position: 50 },
  held,
  wallet,
});

const VENUES: Venue[] = [
  venue(BINANCE_BTC_SPOT, 50000, { base: 0.01, contracts: 0.01 }, 0.3),
  venue(BINANCE_BTC_USDM, 50000, { base: 0.01, contracts: 0.01 }, 0.3),
  venue(BYBIT_ETH_LINEAR, 3000, { base: 1, contracts: 1 }, 2),
  // base 0.03 BTC = 3 contracts of 0.01 BTC.
  venue(OKX_BTC_SWAP, 50000, { base: 0.03, contracts: 3 }, 4),
  // base 0.006 BTC at 50,000 = 300 USD = 3 contracts of 100 USD.
  venue(BINANCE_BTC_COINM, 50000, { base: 0.006, contracts: 3 }, 6, { BTC: 0.2 }),
];

/** A position in contracts as base units (what positionSize means with quantityType base). */
function inBase(venue: Venue, contracts: number): number {
  const { market } = venue;
  if (market.type === 'spot') return contracts;
  const size = market.contractSize ?? 1;
  return market.linear === false ? (contracts * size) / venue.price : contracts * size;
}

const ACTIONS: Array<Action | undefined> = [
  'buy',
  'sell',
  'long',
  'short',
  'close',
  'reverse',
  'cancel',
  undefined,
];
const SENTIMENTS: Array<Sentiment | undefined> = [undefined, 'long', 'short', 'flat'];

interface Case {
  name: string;
  venue: Venue;
  input: PlanInput;
  held: number;
}

function* cases(): Generator<Case> {
  for (const venue of VENUES) {
    const spot = venue.market.type === 'spot';
    for (const sign of spot ? [0, 1] : [-1, 0, 1]) {
      const held = sign * venue.held;
      for (const action of ACTIONS) {
        for (const sentiment of SENTIMENTS) {
          if (action === undefined && sentiment === undefined) continue;
          for (const quantityType of QUANTITY_TYPES) {
            const target = -sign * venue.held || venue.held; // in contracts (base units on spot)
            for (const extra of [
              {},
              { reduceOnly: true },
              { positionSize: quantityType === 'base' ? inBase(venue, target) : target },
            ]) {
              const alert: Partial<Alert> = {
                ...(action ? { action } : {}),
                ...(sentiment ? { sentiment } : {}),
                quantity: venue.quantity[quantityType],
                quantityType,
                ...extra,
              };
              const snapshot: Snapshot = {
                price: venue.price,
                balances: balances(spot ? { ...venue.wallet, BTC: held } : venue.wallet),
                ...(spot ? {} : { position: position(venue.market, held) }),
              };
              yield {
                name: `${venue.market.id} ${venue.market.type} held ${held} ${JSON.stringify(alert)}`,
                venue,
                held,
                input: input(alert, { market: venue.market, snapshot, capabilities: CAPS_SEPARATE }),
              };
            }
          }
        }
      }
    }
  }
}

const ALL = [...cases()];
const ID = /^[A-Za-z0-9]{1,32}$/;

const ordersOf = (plan: Plan): OrderIntent[] =>
  plan.ok ? plan.steps.flatMap((s) => (s.kind === 'order' ? [s.intent] : [])) : [];

const onGrid = (x: number, step: number | undefined) =>
  step === undefined || Math.abs(x / step - Math.round(x / step)) < 1e-6;

const withoutReferencePrice = (plan: Plan) =>
  plan.ok
    ? plan.steps.map((s) =>
        s.kind === 'order' ? { ...s, intent: { ...s.intent, referencePrice: undefined } } : s,
      )
    : plan;

describe('planSignal invariants over every action × sentiment × sizing × position × market', () => {
  it('when the matrix is built, then it covers hundreds of distinct signals', () => {
    expect(ALL.length).toBeGreaterThan(1500);
    const outcomes = ALL.map((c) => planSignal(c.input));
    expect(outcomes.filter((p) => p.ok && p.steps.length > 0).length).toBeGreaterThan(500);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('when %s, then every rule holds', (_name, c) => {
    const plan = planSignal(c.input);
    const { market } = c.venue;
    const derivative = market.type !== 'spot';

    // Deterministic: the same input plans the same steps (a re-run adopts the same orders).
    expect(planSignal(c.input)).toEqual(plan);
    if (!plan.ok) {
      expect(plan.code).toMatch(/^[a-z_]+$/);
      expect(plan.reason.length).toBeGreaterThan(10);
      return;
    }

    const orders = ordersOf(plan);
    const ids = orders.map((o) => o.clientOrderId);
    ids.forEach((id) => expect(id).toMatch(ID));
    expect(new Set(ids).size).toBe(ids.length);
    expect(orders.filter((o) => o.leg === 'open').length).toBeLessThanOrEqual(1);

    // Step order: closes, then account setup, then the opening leg, then separate exits.
    const rank = (kind: string) =>
      ['close', 'set_margin_mode', 'set_leverage', 'open', 'tp', 'sl'].indexOf(kind);
    const ranks = plan.steps.map((s) => rank(s.kind === 'order' ? s.intent.leg : s.kind));
    if (plan.steps[0]?.kind !== 'cancel_open') expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);

    // An explicit spot sell is sent as asked, without a balance fetch: the exchange refuses selling what
    // is not held, so only there may a closing leg exceed the known holding.
    const { alert } = c.input;
    const explicitSpotSell = !derivative && alert.action === 'sell' && !alert.sentiment && !alert.reduceOnly;
    let remaining = explicitSpotSell ? Infinity : c.held;
    for (const order of orders) {
      expect(order.amount).toBeGreaterThan(0);
      expect(onGrid(order.amount, market.precision.amount)).toBe(true);
      expect(order.amount).toBeGreaterThanOrEqual(market.limits.amount?.min ?? 0);
      if (order.leg === 'close') {
        // Closing legs lower the position and never pass flat.
        expect(order.reduceOnly).toBe(derivative ? true : undefined);
        const signed = order.side === 'buy' ? order.amount : -order.amount;
        expect(Math.sign(remaining)).toBe(-Math.sign(signed));
        expect(order.amount).toBeLessThanOrEqual(Math.abs(remaining) + 1e-12);
        remaining += signed;
      } else if (order.leg === 'open') {
        expect(order.reduceOnly).toBeUndefined();
        const cost = derivative
          ? order.amount * (market.contractSize ?? 1) * (market.linear === false ? 1 : c.venue.price)
          : order.amount * c.venue.price;
        expect(cost).toBeGreaterThanOrEqual(market.limits.cost?.min ?? 0);
      }
    }
    if (alert.reduceOnly) expect(orders.every((o) => o.leg === 'close')).toBe(true);

    // snapshotNeeds is exact enough: with only what it asks for, the plan is the same.
    const needs = snapshotNeeds(c.input.alert, market);
    const full = c.input.snapshot;
    const reduced: Snapshot = {
      ...(needs.balances ? { balances: full.balances } : {}),
      ...(needs.position ? { position: full.position } : {}),
      ...(needs.price ? { price: full.price } : {}),
    };
    const replanned = planSignal({ ...c.input, snapshot: reduced });
    expect(withoutReferencePrice(replanned)).toEqual(withoutReferencePrice(plan));
  });

  it('when exits are attached instead, then the same matrix still never adds exit legs', () => {
    for (const c of ALL.slice(0, 400)) {
      const alert = { ...c.input.alert, stopLoss: { percent: 5 } };
      const plan = planSignal({ ...c.input, alert, capabilities: CAPS_ATTACHED });
      for (const o of ordersOf(plan)) expect(['open', 'close']).toContain(o.leg);
    }
  });
});
