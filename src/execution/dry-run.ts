import { type Market, type OrderIntent } from '../exchange/exchange-session';
import {
  type DryRunAction,
  type DryRunAnswer,
  type DryRunIntent,
  type DryRunMarket,
  type DryRunRefusal,
  type DryRunRequest,
} from '../dryrun/dry-run-answer';
import { type PlanStep } from '../signals/plan-step';
import { type Clock, systemClock } from '../util/clock';
import { errorFacts } from './error-facts';
import { expiryReason } from './expiry';
import { type PauseLookup, checkPause } from './pause-gate';
import {
  type ExecutionAccount,
  type PlanningSession,
  type TimedCall,
  planOnSession,
} from './plan-on-session';
import { type Snapshot } from './planning/plan-signal';
import { feeRateOf } from './planning/fees';
import { fundsShortfall } from './planning/funds-check';
import { notional } from './planning/sizing';

export interface DryRunDeps {
  accounts: ReadonlyMap<string, ExecutionAccount & { exchange: string }>;
  /** The account's session, read-only: a dry run has no way to send, cancel or change anything. */
  session: (accountId: string) => PlanningSession;
  /** The kill switch; a paused account's dry run still plans, and says it would be refused. */
  pauseOf?: PauseLookup;
  clock?: Clock;
}

/**
 * Plans an alert exactly as its execution would (src/execution/plan-on-session.ts), against the account's
 * live markets, balances and positions, and answers what it would send. Sends nothing, records nothing.
 */
export async function dryRunSignal(request: DryRunRequest, deps: DryRunDeps): Promise<DryRunAnswer> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const { alert } = request;
  const account = deps.accounts.get(alert.account);
  const answer: DryRunAnswer = {
    dryRun: true,
    id: request.signalId,
    account: alert.account,
    exchange: account?.exchange ?? 'unknown',
    symbol: alert.symbol,
    market: null,
    outcome: 'refused',
    intents: [],
    actions: [],
    notes: [],
    refusal: null,
    snapshot: {},
    calls: [],
    plannedAt: new Date(started).toISOString(),
    durationMs: 0,
  };
  const finish = () => ({ ...answer, durationMs: clock.now() - started });
  if (!account) {
    const reason = `account "${alert.account}" is not configured in this worker`;
    answer.refusal = { code: 'unknown_account', reason, source: 'plan' };
    return finish();
  }
  const session = deps.session(account.id);
  const timed: TimedCall = async (call, fn) => {
    const at = clock.now();
    try {
      const result = await fn();
      answer.calls.push({ call, ms: clock.now() - at, ok: true });
      return result;
    } catch (error) {
      answer.calls.push({ call, ms: clock.now() - at, ok: false });
      throw error;
    }
  };
  try {
    const paused =
      deps.pauseOf && alert.action !== 'flatten' ? await pausedRefusal(deps.pauseOf, account.id) : undefined;
    // The alert's own `maxLagSeconds` (its age since receipt is nil here): a real run would expire it.
    const lag = expiryReason(
      { id: request.signalId, alert, auth: 'api', requestId: request.requestId, receivedAt: started },
      started,
      Number.POSITIVE_INFINITY,
    );
    const expired: DryRunRefusal | undefined = lag
      ? { code: 'expired', reason: `${lag}: a real signal would expire without trading`, source: 'plan' }
      : undefined;
    const { plan, market, snapshot } = await planOnSession({
      signalId: request.signalId,
      alert,
      account,
      session,
      timed,
    });
    if (market) answer.market = marketOf(market);
    if (snapshot) answer.snapshot = snapshotOf(snapshot, market);
    if (!plan.ok) {
      answer.refusal = { code: plan.code, reason: plan.reason, source: 'plan' };
      return finish();
    }
    answer.notes = plan.notes ?? [];
    const orders = plan.steps.flatMap((s) => (s.kind === 'order' ? [s.intent] : []));
    answer.intents = orders.map((o) => intentOf(o, market, snapshot));
    answer.actions = plan.steps.flatMap((s) => actionOf(s));
    answer.outcome = plan.steps.length === 0 ? 'nothing_to_do' : 'would_place';
    const funds =
      market && orders.length > 0
        ? await fundsRefusal({ answer, orders, market, session, timed, leverage: alert.leverage })
        : undefined;
    const refusal = paused ?? expired ?? funds;
    if (refusal) {
      answer.refusal = refusal;
      answer.outcome = 'refused';
    }
  } catch (error) {
    const e = errorFacts(error);
    answer.outcome = 'error';
    answer.refusal = { code: e.code, reason: e.message, source: 'exchange' };
  }
  return finish();
}

async function pausedRefusal(lookup: PauseLookup, accountId: string): Promise<DryRunRefusal | undefined> {
  try {
    await checkPause(lookup, accountId);
    return undefined;
  } catch (error) {
    const e = errorFacts(error);
    if (e.code !== 'paused') throw error;
    return {
      code: 'paused',
      reason: `${e.message}: a real signal would not trade now`,
      source: 'kill_switch',
    };
  }
}

/** Reads the balance (unless the plan did) and predicts a refusal for lack of funds. */
async function fundsRefusal(input: {
  answer: DryRunAnswer;
  orders: OrderIntent[];
  market: Market;
  session: PlanningSession;
  timed: TimedCall;
  leverage: number | undefined;
}): Promise<DryRunRefusal | undefined> {
  const { answer, orders, market, session, timed, leverage } = input;
  const balances = await timed('fetchBalance', () => session.fetchBalance());
  answer.snapshot.balances = relevantBalances(balances, market);
  const shortfall = fundsShortfall({
    intents: orders,
    market,
    balances,
    price: answer.snapshot.price,
    leverage,
  });
  if (!shortfall) return undefined;
  const { currency, needed, available, fees } = shortfall;
  const what = `${round(needed)} ${currency}${market.type === 'spot' ? '' : ' of margin'}`;
  return {
    code: 'insufficient_balance',
    reason: `the orders need ${what}${fees > 0 ? ` (${round(fees)} of it fees)` : ''}, ${round(available)} ${currency} is free: the exchange would refuse`,
    source: 'funds',
    needed,
    available,
    currency,
  };
}

const round = (x: number) => Number(x.toPrecision(10));

function intentOf(
  intent: OrderIntent,
  market: Market | undefined,
  snapshot: Snapshot | undefined,
): DryRunIntent {
  const price = intent.price ?? intent.referencePrice ?? snapshot?.price;
  const { leg, clientOrderId, symbol, side, type, amount } = intent;
  return {
    leg,
    clientOrderId,
    symbol,
    side,
    type,
    amount,
    ...pick(intent, [
      'price',
      'referencePrice',
      'triggerPrice',
      'reduceOnly',
      'postOnly',
      'timeInForce',
      'takeProfitPrice',
      'stopLossPrice',
    ]),
    ...(market && price !== undefined && (type === 'market' || type === 'limit')
      ? estimates(market, intent, notional(market, amount, price))
      : {}),
  };
}

/** What the order costs and the fee it pays at the market's rate (when known), both valued in the quote. */
function estimates(
  market: Market,
  intent: OrderIntent,
  cost: number,
): Pick<DryRunIntent, 'estimatedCost' | 'estimatedFee'> {
  const rate = feeRateOf(market, intent);
  return {
    estimatedCost: round(cost),
    ...(rate !== undefined ? { estimatedFee: round(cost * rate) } : {}),
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function actionOf(step: PlanStep): DryRunAction[] {
  return step.kind === 'order' ? [] : [step];
}

function marketOf(market: Market): DryRunMarket {
  return {
    symbol: market.symbol,
    type: market.type,
    base: market.base,
    quote: market.quote,
    ...(market.settle ? { settle: market.settle } : {}),
    ...(market.contractSize !== undefined ? { contractSize: market.contractSize } : {}),
    precision: market.precision,
    limits: {
      ...(market.limits.amount?.min !== undefined ? { amountMin: market.limits.amount.min } : {}),
      ...(market.limits.cost?.min !== undefined ? { costMin: market.limits.cost.min } : {}),
    },
  };
}

function snapshotOf(snapshot: Snapshot, market: Market | undefined): DryRunAnswer['snapshot'] {
  const { price, position, balances } = snapshot;
  return {
    ...(price !== undefined ? { price } : {}),
    ...(position
      ? { position: { symbol: position.symbol, contracts: position.contracts, side: position.side } }
      : {}),
    ...(balances && market ? { balances: relevantBalances(balances, market) } : {}),
  };
}

/** Only the market's own currencies: an answer should not list a whole account. */
function relevantBalances(
  balances: Snapshot['balances'] & object,
  market: Market,
): DryRunAnswer['snapshot']['balances'] {
  const out: Record<string, { free: number; used: number; total: number }> = {};
  for (const currency of new Set([market.base, market.quote, market.settle].filter(Boolean) as string[])) {
    const entry = balances[currency];
    out[currency] = entry
      ? { free: entry.free, used: entry.used, total: entry.total }
      : { free: 0, used: 0, total: 0 };
  }
  return out;
}
