import {
  type Balances,
  type ExchangeCapabilities,
  type Market,
  type MarketMap,
  type OrderIntent,
  type Position,
} from '../../../src/exchange/exchange-session';
import {
  type Plan,
  type PlanInput,
  type PlanStep,
  type RiskLimits,
  type Snapshot,
} from '../../../src/execution/planning/plan-signal';
import { type Precision, roundToStep, truncateToStep } from '../../../src/execution/planning/precision';
import { type Alert } from '../../../src/signals/alert';
import { BTC_SPOT } from '../../support/memory/memory-exchange';

/*
 * Markets shaped like ccxt's (fields the planner uses, values as ccxt 4.x reports them in TICK_SIZE
 * precision mode).
 */

/** binance spot BTC/USDT: LOT_SIZE 0.00001, PRICE_FILTER 0.01, NOTIONAL min 5. */
export const BINANCE_BTC_SPOT: Market = {
  ...BTC_SPOT,
  limits: {
    amount: { min: 0.00001, max: 9000 },
    cost: { min: 5, max: 9000000 },
    price: { min: 0.01, max: 1000000 },
  },
};

export const BINANCE_ETH_SPOT: Market = {
  ...BINANCE_BTC_SPOT,
  symbol: 'ETH/USDT',
  id: 'ETHUSDT',
  base: 'ETH',
  precision: { amount: 0.0001, price: 0.01 },
  limits: { amount: { min: 0.0001, max: 9000 }, cost: { min: 5 } },
};

export const BINANCE_ETHBTC_SPOT: Market = {
  ...BINANCE_BTC_SPOT,
  symbol: 'ETH/BTC',
  id: 'ETHBTC',
  base: 'ETH',
  quote: 'BTC',
  precision: { amount: 0.0001, price: 0.00001 },
  limits: { amount: { min: 0.0001 }, cost: { min: 0.0001 } },
};

/** A delisted pair: ccxt keeps it in `markets` with `active: false`. */
export const BINANCE_LUNA_SPOT: Market = {
  ...BINANCE_BTC_SPOT,
  symbol: 'LUNA/USDT',
  id: 'LUNAUSDT',
  base: 'LUNA',
  active: false,
};

/** binance USDⓈ-M BTC/USDT:USDT: contractSize 1, LOT_SIZE 0.001, MIN_NOTIONAL 100 (reduce-only exempt). */
export const BINANCE_BTC_USDM: Market = {
  symbol: 'BTC/USDT:USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  type: 'swap',
  linear: true,
  contractSize: 1,
  active: true,
  precision: { amount: 0.001, price: 0.1 },
  limits: { amount: { min: 0.001, max: 1000 }, cost: { min: 100 }, price: { min: 556.8, max: 4529764 } },
};

/** binance COIN-M inverse BTC/USD:BTC: 1 contract = 100 USD, margined in BTC. */
export const BINANCE_BTC_COINM: Market = {
  symbol: 'BTC/USD:BTC',
  id: 'BTCUSD_PERP',
  base: 'BTC',
  quote: 'USD',
  settle: 'BTC',
  type: 'swap',
  linear: false,
  contractSize: 100,
  active: true,
  precision: { amount: 1, price: 0.1 },
  limits: { amount: { min: 1, max: 1000000 }, cost: {} },
};

/** bybit linear ETH/USDT:USDT: qtyStep 0.01, minNotionalValue 5. */
export const BYBIT_ETH_LINEAR: Market = {
  ...BINANCE_BTC_USDM,
  symbol: 'ETH/USDT:USDT',
  id: 'ETHUSDT',
  base: 'ETH',
  precision: { amount: 0.01, price: 0.01 },
  limits: { amount: { min: 0.01, max: 7240 }, cost: { min: 5 }, price: { min: 0.01, max: 199999.98 } },
};

export const BYBIT_ETH_SPOT: Market = {
  symbol: 'ETH/USDT',
  id: 'ETHUSDT',
  base: 'ETH',
  quote: 'USDT',
  type: 'spot',
  active: true,
  precision: { amount: 0.00001, price: 0.01 },
  limits: { amount: { min: 0.00001 }, cost: { min: 1 } },
};

/** bybit inverse BTC/USD:BTC (id BTCUSD), the only swap of BTC/USD there. */
export const BYBIT_BTC_INVERSE: Market = {
  ...BINANCE_BTC_COINM,
  id: 'BTCUSD',
  contractSize: 1,
  precision: { amount: 1, price: 0.5 },
  limits: { amount: { min: 1 }, cost: {} },
};

/** OKX BTC-USDT-SWAP: 1 contract = 0.01 BTC (ctVal), lotSz 0.01, minSz 0.01, no min notional. */
export const OKX_BTC_SWAP: Market = {
  symbol: 'BTC/USDT:USDT',
  id: 'BTC-USDT-SWAP',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  type: 'swap',
  linear: true,
  contractSize: 0.01,
  active: true,
  precision: { amount: 0.01, price: 0.1 },
  limits: { amount: { min: 0.01, max: 10000 }, cost: {} },
};

export const OKX_BTC_SPOT: Market = {
  symbol: 'BTC/USDT',
  id: 'BTC-USDT',
  base: 'BTC',
  quote: 'USDT',
  type: 'spot',
  active: true,
  precision: { amount: 0.00000001, price: 0.1 },
  limits: { amount: { min: 0.00001 }, cost: {} },
};

const mapOf = (...markets: Market[]): MarketMap => Object.fromEntries(markets.map((m) => [m.symbol, m]));

export const BINANCE_MARKETS = mapOf(
  BINANCE_BTC_SPOT,
  BINANCE_ETH_SPOT,
  BINANCE_ETHBTC_SPOT,
  BINANCE_LUNA_SPOT,
  BINANCE_BTC_USDM,
  BINANCE_BTC_COINM,
);
export const BYBIT_MARKETS = mapOf(BYBIT_ETH_LINEAR, BYBIT_ETH_SPOT, BYBIT_BTC_INVERSE);
export const OKX_MARKETS = mapOf(OKX_BTC_SWAP, OKX_BTC_SPOT);

/** What execute-signal falls back to when the session has no ccxt precision: truncate amounts, round prices. */
export function tickPrecision(market: Market): Precision {
  return {
    amount: (_symbol, x) => truncateToStep(x, market.precision.amount),
    price: (_symbol, x) => roundToStep(x, market.precision.price),
  };
}

export const SIGNAL_ID = 'sig_0123456789abcdef01234567';

export const CAPS_SEPARATE: ExchangeCapabilities = {
  attachedTpSl: false,
  fetchOrderByClientId: true,
  setLeverage: true,
  setMarginMode: true,
};
export const CAPS_ATTACHED: ExchangeCapabilities = { ...CAPS_SEPARATE, attachedTpSl: true };

/** A derivatives position, signed: short < 0. */
export function position(market: Market, contracts: number): Position {
  const side = contracts > 0 ? 'long' : contracts < 0 ? 'short' : 'flat';
  return { symbol: market.symbol, contracts, side };
}

/** Balances with `free` as given and `total` = free unless `[free, total]` is given. */
export function balances(entries: Record<string, number | [number, number]>): Balances {
  return Object.fromEntries(
    Object.entries(entries).map(([currency, v]) => {
      const [free, total] = Array.isArray(v) ? v : [v, v];
      return [currency, { free, used: total - free, total }];
    }),
  );
}

export interface InputOptions {
  market?: Market;
  snapshot?: Snapshot;
  capabilities?: ExchangeCapabilities;
  risk?: RiskLimits;
  signalId?: string;
}

/** A plan input with a market order of `base` quantity unless the alert says otherwise. */
export function input(alert: Partial<Alert>, options: InputOptions = {}): PlanInput {
  const market = options.market ?? BINANCE_BTC_SPOT;
  return {
    signalId: options.signalId ?? SIGNAL_ID,
    alert: { account: 'main', symbol: market.symbol, orderType: 'market', quantityType: 'base', ...alert },
    market,
    snapshot: options.snapshot ?? {},
    capabilities: options.capabilities ?? CAPS_SEPARATE,
    precision: tickPrecision(market),
    risk: options.risk ?? {},
  };
}

/** The steps of an ok plan; fails the test with the reason otherwise. */
export function stepsOf(plan: Plan): PlanStep[] {
  if (!plan.ok) throw new Error(`expected an ok plan, got ${plan.code}: ${plan.reason}`);
  return plan.steps;
}

/** The order intents of an ok plan, in order. */
export function ordersOf(plan: Plan): OrderIntent[] {
  return stepsOf(plan).flatMap((s) => (s.kind === 'order' ? [s.intent] : []));
}

/** `leg side amount` per order, for compact expectations: `close sell 1`, `open buy 0.5`. */
export function legsOf(plan: Plan): string[] {
  return ordersOf(plan).map((o) => `${o.leg} ${o.side} ${o.amount}`);
}

/** The rejection code of a plan, or `ok`. */
export function codeOf(plan: Plan): string {
  return plan.ok ? 'ok' : plan.code;
}
