import { type Market } from '../exchange/exchange-session';
import { symbolKey } from '../queue/partitions';
import { type Alert } from '../signals/alert';
import { planFlatten } from './planning/flatten-plan';
import { type Plan, type Snapshot, planSignal, snapshotNeeds } from './planning/plan-signal';
import { type Precision, roundToStep, truncateToStep } from './planning/precision';
import { resolveMarket } from './planning/resolve-market';
import { type RunSession } from './run-context';

/** The account settings execution needs (no secrets). */
export interface ExecutionAccount {
  id: string;
  defaultType: 'spot' | 'swap';
  symbols: string[];
  maxOrderCost?: number;
}

/**
 * The read-only part of an exchange session: what planning reads (markets, balances, positions, open orders,
 * prices, precision). It has no member that sends, cancels or changes anything, so code holding only this
 * type cannot place an order; {@link readOnlyView} builds one that does not even carry those members at
 * runtime.
 */
export type PlanningSession = Pick<
  RunSession,
  | 'capabilities'
  | 'markets'
  | 'syntheticMarket'
  | 'fetchBalance'
  | 'fetchPosition'
  | 'fetchPositions'
  | 'fetchOpenOrders'
  | 'fetchPrice'
  | 'amountToPrecision'
  | 'priceToPrecision'
>;

/** A view of `session` holding only its read methods (bound), for the dry run. */
export function readOnlyView(session: RunSession): PlanningSession {
  return {
    capabilities: session.capabilities,
    markets: () => session.markets(),
    ...(session.syntheticMarket ? { syntheticMarket: session.syntheticMarket.bind(session) } : {}),
    fetchBalance: () => session.fetchBalance(),
    fetchPosition: (symbol) => session.fetchPosition(symbol),
    fetchPositions: () => session.fetchPositions(),
    fetchOpenOrders: () => session.fetchOpenOrders(),
    fetchPrice: (symbol) => session.fetchPrice(symbol),
    ...(session.amountToPrecision ? { amountToPrecision: session.amountToPrecision.bind(session) } : {}),
    ...(session.priceToPrecision ? { priceToPrecision: session.priceToPrecision.bind(session) } : {}),
  };
}

/** Runs one exchange call under a name (the run's timeline records it). */
export type TimedCall = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface PlanOnSessionInput {
  signalId: string;
  alert: Alert;
  account: ExecutionAccount;
  session: PlanningSession;
  timed: TimedCall;
  /**
   * Execution only: a simulator priced by the alerts learns the alert's price before planning (it may fill
   * resting orders). The dry run leaves it out, since it must change nothing.
   */
  observePrice?: (symbol: string, price: number) => Promise<void>;
}

/** The plan, with the market and snapshot it was made against (absent when it was refused before them). */
export interface SessionPlan {
  plan: Plan;
  market?: Market;
  snapshot?: Snapshot;
}

/**
 * Plans a signal against an account's session: the market, exactly the snapshot the alert needs, then the
 * pure planner. Shared by execution (src/execution/signal-run.ts) and the dry run, so that what a dry run
 * answers is what a real run would send.
 */
export async function planOnSession(input: PlanOnSessionInput): Promise<SessionPlan> {
  const { alert, account, session, timed } = input;
  if (alert.action === 'flatten') return { plan: await planFlattenOnSession(input) };
  const markets = await timed('loadMarkets', () => session.markets());
  const resolved = resolveMarket(alert.symbol, markets, {
    defaultType: account.defaultType,
    syntheticMarket: session.syntheticMarket?.bind(session),
  });
  if (!resolved.ok) return { plan: { ok: false, code: resolved.code, reason: resolved.reason } };
  const market = resolved.market;
  if (account.symbols.length > 0 && !account.symbols.some((s) => symbolKey(s) === symbolKey(market.symbol))) {
    const reason = `${market.symbol} is not in account "${account.id}"'s symbols allowlist`;
    return { plan: { ok: false, code: 'symbol_not_allowed', reason }, market };
  }
  // A simulator priced by the alerts learns this one's market price first, so that the snapshot already
  // shows the resting orders it filled. A limit order's price is the trader's, not the market's.
  const observe = input.observePrice;
  if (observe && alert.orderType === 'market' && alert.price !== undefined) {
    const price = alert.price;
    await timed('observePrice', () => observe(market.symbol, price));
  }
  const needs = snapshotNeeds(alert, market);
  const snapshot: Snapshot = { price: alert.price };
  if (needs.balances) snapshot.balances = await timed('fetchBalance', () => session.fetchBalance());
  if (needs.position)
    snapshot.position = await timed('fetchPosition', () => session.fetchPosition(market.symbol));
  if (needs.price) snapshot.price = await timed('fetchPrice', () => session.fetchPrice(market.symbol));
  const precision: Precision = {
    amount: (symbol, x) =>
      session.amountToPrecision?.(symbol, x) ?? truncateToStep(x, market.precision.amount),
    price: (symbol, x) => session.priceToPrecision?.(symbol, x) ?? roundToStep(x, market.precision.price),
  };
  const plan = planSignal({
    signalId: input.signalId,
    alert,
    market,
    snapshot,
    capabilities: session.capabilities,
    precision,
    risk: { maxOrderCost: account.maxOrderCost },
  });
  return { plan, market, snapshot };
}

/** The account-wide plan of a flatten: what is open now, canceled and closed (see planFlatten). */
async function planFlattenOnSession(input: PlanOnSessionInput): Promise<Plan> {
  const { session, timed } = input;
  const openOrders = await timed('fetchOpenOrders', () => session.fetchOpenOrders());
  const positions = await timed('fetchPositions', () => session.fetchPositions());
  const { steps, notes } = planFlatten({ signalId: input.signalId, openOrders, positions });
  return { ok: true, steps, notes };
}
