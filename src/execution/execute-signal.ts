import { AppError } from '../errors/app-error';
import { ExchangeOrder, ExchangeSession, OrderIntent } from '../exchange/exchange-session';
import { Logger } from '../observability/logger';
import { SignalEnvelope } from '../signals/signal';
import { ExchangeCall, OrderRecord, SignalError, SignalStatus } from '../signals/signal-record';
import { symbolKey } from '../queue/partitions';
import { Plan, PlanStep, Snapshot, planSignal, snapshotNeeds } from './planning/plan-signal';
import { Precision, roundToStep, truncateToStep } from './planning/precision';
import { resolveMarket } from './planning/resolve-market';

/** The account settings execution needs (no secrets). */
export interface ExecutionAccount {
  id: string;
  defaultType: 'spot' | 'swap';
  symbols: string[];
  maxOrderCost?: number;
}

/** Where signal records are kept (implemented by history/SignalStore). */
export interface ExecutionHistory {
  markProcessing(signal: SignalEnvelope, startedAt: number): Promise<number>;
  saveProgress(signalId: string, progress: { orders: OrderRecord[]; calls: ExchangeCall[] }): Promise<void>;
  finish(
    signalId: string,
    status: SignalStatus,
    outcome: { finishedAt: number; orders: OrderRecord[]; calls: ExchangeCall[]; error?: SignalError },
  ): Promise<void>;
}

export interface ExecutionDeps {
  accounts: Map<string, ExecutionAccount>;
  session: (accountId: string) => ExchangeSession & Partial<PrecisionSource>;
  history: ExecutionHistory;
  logger: Logger;
  /** `SIGNAL_MAX_AGE_SECONDS`: a signal received longer ago than this expires instead of trading. */
  maxAgeSeconds: number;
  now?: () => number;
}

/** Sessions that round with the exchange's own rules (ccxt) offer these. */
export interface PrecisionSource {
  amountToPrecision(symbol: string, amount: number): number;
  priceToPrecision(symbol: string, price: number): number;
}

export interface ExecutionOutcome {
  status: SignalStatus;
  orders: OrderRecord[];
  error?: SignalError;
}

/**
 * Carries out one signal: expiry, market, snapshot, plan, orders. Safe to run again for the same signal
 * (BullMQ is at-least-once): every order is looked up by its deterministic client id before it is sent.
 */
export async function executeSignal(signal: SignalEnvelope, deps: ExecutionDeps): Promise<ExecutionOutcome> {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ signalId: signal.id, requestId: signal.requestId });
  const attempt = await deps.history.markProcessing(signal, now());
  log.info('signal started', { attempt, account: signal.alert.account, symbol: signal.alert.symbol });
  const run = new Run(signal, deps, log, now);
  const outcome = await run.execute();
  await deps.history.finish(signal.id, outcome.status, {
    finishedAt: now(),
    orders: run.orders,
    calls: run.calls,
    error: outcome.error,
  });
  log[outcome.status === 'failed' ? 'error' : 'info']('signal finished', {
    status: outcome.status,
    orders: run.orders.length,
    ...(outcome.error ? { code: outcome.error.code, reason: outcome.error.message } : {}),
  });
  return { ...outcome, orders: run.orders };
}

/** One execution of one signal; holds the orders and calls recorded so far. */
class Run {
  readonly orders: OrderRecord[] = [];
  readonly calls: ExchangeCall[] = [];

  constructor(
    private readonly signal: SignalEnvelope,
    private readonly deps: ExecutionDeps,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  async execute(): Promise<Omit<ExecutionOutcome, 'orders'>> {
    const expiry = this.expiryReason();
    if (expiry) return { status: 'expired', error: { code: 'expired', message: expiry } };
    const account = this.deps.accounts.get(this.signal.alert.account);
    if (!account) {
      return rejected(
        'unknown_account',
        `account "${this.signal.alert.account}" is not configured in this worker`,
      );
    }
    try {
      const plan = await this.plan(account);
      if (!plan.ok) return rejected(plan.code, plan.reason);
      for (const step of plan.steps) await this.perform(step);
      const open = this.orders.some((o) => o.status === 'open');
      return { status: open ? 'placed' : 'filled' };
    } catch (error) {
      const e = error instanceof AppError ? error : undefined;
      return {
        status: 'failed',
        error: { code: e?.code ?? 'unexpected', message: (error as Error).message },
      };
    }
  }

  /** Why the signal is too old to trade, if it is. */
  private expiryReason(): string | undefined {
    const now = this.now();
    const { alert, receivedAt } = this.signal;
    const ageSeconds = (now - receivedAt) / 1000;
    if (ageSeconds > this.deps.maxAgeSeconds) {
      return `received ${ageSeconds.toFixed(1)} s ago, more than SIGNAL_MAX_AGE_SECONDS (${this.deps.maxAgeSeconds})`;
    }
    if (alert.maxLagSeconds !== undefined) {
      const lag = (now - (alert.timestamp ?? receivedAt)) / 1000;
      if (lag > alert.maxLagSeconds)
        return `${lag.toFixed(1)} s after its timestamp, more than maxLagSeconds (${alert.maxLagSeconds})`;
    }
    return undefined;
  }

  private async plan(account: ExecutionAccount): Promise<Plan> {
    const { alert } = this.signal;
    const session = this.deps.session(account.id);
    const markets = await this.call('loadMarkets', () => session.markets());
    const resolved = resolveMarket(alert.symbol, markets, {
      defaultType: account.defaultType,
      syntheticMarket: session.syntheticMarket?.bind(session),
    });
    if (!resolved.ok) return { ok: false, code: 'unknown_symbol', reason: resolved.reason };
    const market = resolved.market;
    if (
      account.symbols.length > 0 &&
      !account.symbols.some((s) => symbolKey(s) === symbolKey(market.symbol))
    ) {
      return {
        ok: false,
        code: 'symbol_not_allowed',
        reason: `${market.symbol} is not in account "${account.id}"'s symbols allowlist`,
      };
    }
    const needs = snapshotNeeds(alert, market);
    const snapshot: Snapshot = { price: alert.price };
    if (needs.balances) snapshot.balances = await this.call('fetchBalance', () => session.fetchBalance());
    if (needs.position)
      snapshot.position = await this.call('fetchPosition', () => session.fetchPosition(market.symbol));
    if (needs.price) snapshot.price = await this.call('fetchPrice', () => session.fetchPrice(market.symbol));
    const precision: Precision = {
      amount: (symbol, x) =>
        session.amountToPrecision?.(symbol, x) ?? truncateToStep(x, market.precision.amount),
      price: (symbol, x) => session.priceToPrecision?.(symbol, x) ?? roundToStep(x, market.precision.price),
    };
    return planSignal({
      signalId: this.signal.id,
      alert,
      market,
      snapshot,
      capabilities: session.capabilities,
      precision,
      risk: { maxOrderCost: account.maxOrderCost },
    });
  }

  private async perform(step: PlanStep): Promise<void> {
    const session = this.deps.session(this.signal.alert.account);
    switch (step.kind) {
      case 'cancel_open': {
        const canceled = await this.call('cancelOpenOrders', () => session.cancelOpenOrders(step.symbol));
        this.log.info('open orders canceled', { symbol: step.symbol, count: canceled.length });
        return;
      }
      case 'set_leverage':
        await this.call('setLeverage', () => session.setLeverage(step.symbol, step.leverage));
        return;
      case 'set_margin_mode':
        await this.call('setMarginMode', () => session.setMarginMode(step.symbol, step.mode));
        return;
      case 'order':
        await this.placeOnce(session, step.intent);
        return;
    }
  }

  /** Places an order at most once: a re-run adopts the order its client id already names. */
  private async placeOnce(session: ExchangeSession, intent: OrderIntent): Promise<void> {
    const existing = await this.call('findOrder', () =>
      session.findOrder(intent.symbol, intent.clientOrderId),
    );
    const order = existing ?? (await this.call('createOrder', () => session.createOrder(intent)));
    this.orders.push(toRecord(intent, order));
    this.log.info(existing ? 'order adopted' : 'order placed', {
      leg: intent.leg,
      clientOrderId: intent.clientOrderId,
      exchangeId: order.id,
      side: intent.side,
      amount: intent.amount,
      filled: order.filled,
      average: order.average,
      status: order.status,
    });
    await this.deps.history.saveProgress(this.signal.id, { orders: this.orders, calls: this.calls });
  }

  /** Times an exchange call for the record's timeline. */
  private async call<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const at = this.now();
    try {
      const result = await fn();
      this.calls.push({ call: name, at, ms: this.now() - at, ok: true });
      return result;
    } catch (error) {
      this.calls.push({ call: name, at, ms: this.now() - at, ok: false });
      throw error;
    }
  }
}

function rejected(code: string, message: string): Omit<ExecutionOutcome, 'orders'> {
  return { status: 'rejected', error: { code, message } };
}

function toRecord(intent: OrderIntent, order: ExchangeOrder): OrderRecord {
  return {
    leg: intent.leg,
    exchangeId: order.id,
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    amount: order.amount ?? intent.amount,
    price: order.price ?? intent.price,
    filled: order.filled,
    average: order.average,
    cost: order.cost,
    fee: order.fee,
    status: order.status,
  };
}
