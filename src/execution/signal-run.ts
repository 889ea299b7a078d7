import { AppError } from '../errors/app-error';
import { type ExchangeOrder, type ExchangeSession, type OrderIntent } from '../exchange/exchange-session';
import { type Logger } from '../observability/logger';
import { symbolKey } from '../queue/partitions';
import { type SignalEnvelope } from '../signals/signal';
import { type ExchangeCall, type OrderRecord } from '../signals/signal-record';
import { type RunProgress } from '../signals/run-progress';
import { type Plan, type PlanStep, type Snapshot, planSignal, snapshotNeeds } from './planning/plan-signal';
import { type Precision, roundToStep, truncateToStep } from './planning/precision';
import { resolveMarket } from './planning/resolve-market';

/** The account settings execution needs (no secrets). */
export interface ExecutionAccount {
  id: string;
  defaultType: 'spot' | 'swap';
  symbols: string[];
  maxOrderCost?: number;
}

/** Sessions that round with the exchange's own rules (ccxt) offer these. */
export interface PrecisionSource {
  amountToPrecision(symbol: string, amount: number): number;
  priceToPrecision(symbol: string, price: number): number;
}

export type RunSession = ExchangeSession & Partial<PrecisionSource>;

/**
 * One signal's work against one exchange session: plan (once), then perform the steps not yet done.
 * An order is looked up by its client id before it is sent whenever it may have been sent before, so
 * performing a step twice places nothing twice.
 */
export class SignalRun {
  constructor(
    private readonly signal: SignalEnvelope,
    private readonly session: RunSession,
    private readonly progress: RunProgress,
    private readonly save: (progress: RunProgress) => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => number,
    /**
     * The signal's first run (attempt 1). Client ids derive from the signal id, so on a first run no order
     * can carry one yet unless this very run sent it: the lookup before sending is skipped then, saving a
     * round trip to the exchange on every order. Any re-run (attempt ≥ 2) looks every order up.
     */
    private readonly firstRun: boolean,
  ) {}

  get orders(): OrderRecord[] {
    return this.progress.orders;
  }

  get calls(): ExchangeCall[] {
    return this.progress.calls;
  }

  /** Plans the signal, unless an earlier run already did (the plan is then reused as it was). */
  async plan(account: ExecutionAccount): Promise<Plan> {
    if (this.progress.steps) return { ok: true, steps: this.progress.steps };
    const plan = await this.computePlan(account);
    if (plan.ok) {
      this.progress.steps = plan.steps;
      if (plan.notes?.length) {
        this.progress.notes = plan.notes;
        this.log.info('plan notes', { notes: plan.notes });
      }
      await this.save(this.progress);
    }
    return plan;
  }

  /**
   * Performs the remaining steps, saving progress after each. With `mayOpen: false` (the signal expired
   * before its first order was confirmed) orders are only looked up, never sent.
   */
  async perform(options: { mayOpen: boolean } = { mayOpen: true }): Promise<void> {
    const steps = this.progress.steps ?? [];
    while (this.progress.stepsDone < steps.length) {
      await this.performStep(steps[this.progress.stepsDone], options.mayOpen);
      this.progress.stepsDone += 1;
      await this.save(this.progress);
    }
  }

  private async computePlan(account: ExecutionAccount): Promise<Plan> {
    const { alert } = this.signal;
    const session = this.session;
    const markets = await this.call('loadMarkets', () => session.markets());
    const resolved = resolveMarket(alert.symbol, markets, {
      defaultType: account.defaultType,
      syntheticMarket: session.syntheticMarket?.bind(session),
    });
    if (!resolved.ok) return { ok: false, code: 'unknown_symbol', reason: resolved.reason };
    const market = resolved.market;
    if (!market.active)
      return { ok: false, code: 'market_inactive', reason: `${market.symbol} is not trading now` };
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
    // A simulator priced by the alerts learns this one's market price first, so that the snapshot already
    // shows the resting orders it filled. A limit order's price is the trader's, not the market's.
    const observe = session.observePrice?.bind(session);
    if (observe && alert.orderType === 'market' && alert.price !== undefined) {
      const price = alert.price;
      await this.call('observePrice', () => observe(market.symbol, price));
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

  private async performStep(step: PlanStep, mayOpen: boolean): Promise<void> {
    const session = this.session;
    switch (step.kind) {
      case 'cancel_open': {
        const canceled = await this.call('cancelOpenOrders', () => session.cancelOpenOrders(step.symbol));
        this.log.info('open orders canceled', { symbol: step.symbol, count: canceled.length });
        return;
      }
      case 'set_leverage':
        await this.call('setLeverage', () => session.setLeverage(step.symbol, step.leverage));
        this.log.info('leverage set', { symbol: step.symbol, leverage: step.leverage });
        return;
      case 'set_margin_mode':
        await this.call('setMarginMode', () => session.setMarginMode(step.symbol, step.mode));
        this.log.info('margin mode set', { symbol: step.symbol, mode: step.mode });
        return;
      case 'order':
        await this.placeOnce(step.intent, mayOpen);
        return;
      default: {
        const unknown: never = step;
        throw new Error(`unknown plan step ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Places an order at most once. Whenever the client id may have been sent before (a re-run, or an earlier
   * try of this run), it is looked up first and an existing order adopted — Binance accepts a filled
   * order's client id again, so sending without looking would place a second order.
   */
  private async placeOnce(intent: OrderIntent, mayOpen: boolean): Promise<void> {
    const session = this.session;
    const maybeSent = !this.firstRun || (this.progress.sent ?? []).includes(intent.clientOrderId);
    const existing = maybeSent
      ? await this.call('findOrder', () => session.findOrder(intent.symbol, intent.clientOrderId))
      : undefined;
    if (maybeSent) this.progress.unresolved = undefined; // the lookup answered: the order's fate is known
    let order: ExchangeOrder;
    let adopted = existing !== undefined;
    if (existing) {
      order = existing;
    } else {
      if (!mayOpen) {
        throw new AppError('expired before its first order could be placed', {
          code: 'expired',
          kind: 'permanent',
        });
      }
      (this.progress.sent ??= []).push(intent.clientOrderId);
      try {
        order = await this.call('createOrder', () => session.createOrder(intent));
      } catch (error) {
        // Ambiguous: the exchange may have placed it before the failure. Look once more; if it is there,
        // adopt it. If even the lookup fails, the order's fate is unknown: remember that, so the signal is
        // not called expired while an order may be live.
        let placed: ExchangeOrder | undefined;
        try {
          placed = await this.call('findOrder', () => session.findOrder(intent.symbol, intent.clientOrderId));
        } catch {
          this.progress.unresolved = { clientOrderId: intent.clientOrderId, since: this.now() };
          await this.save(this.progress);
          throw error;
        }
        if (!placed) throw error;
        order = placed;
        adopted = true;
      }
    }
    const record = toRecord(intent, order);
    const known = this.progress.orders.findIndex((o) => o.clientOrderId === record.clientOrderId);
    if (known >= 0) this.progress.orders[known] = record;
    else this.progress.orders.push(record);
    this.log.info(adopted ? 'order adopted' : 'order placed', {
      leg: intent.leg,
      clientOrderId: intent.clientOrderId,
      exchangeId: order.id,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      amount: intent.amount,
      filled: order.filled,
      average: order.average,
      status: order.status,
    });
  }

  /** Times an exchange call for the record's timeline. */
  private async call<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const at = this.now();
    try {
      const result = await fn();
      this.progress.calls.push({ call: name, at, ms: this.now() - at, ok: true });
      return result;
    } catch (error) {
      this.progress.calls.push({ call: name, at, ms: this.now() - at, ok: false });
      throw error;
    }
  }
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
