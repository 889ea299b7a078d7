import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type ExecutionObserver } from './execution-observer';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SLIPPAGE_BUCKETS = [-100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100, 250];

/**
 * The worker's metrics, as a Prometheus registry of its own. The worker pushes this registry to Redis
 * (metrics-push.ts) and the web's `/metrics` serves the sum over all workers.
 */
export class PromExecutionObserver implements ExecutionObserver {
  readonly registry = new Registry();
  private readonly queueWait: Histogram<'account'>;
  private readonly alertToOrder: Histogram<'account'>;
  private readonly slippage: Histogram<'account' | 'side'>;
  private readonly callLatency: Histogram<'account' | 'call'>;
  private readonly callErrors: Counter<'account' | 'call' | 'code' | 'kind'>;
  private readonly finished: Counter<'account' | 'status'>;

  /** @param options.processMetrics - Add the process's default metrics, prefixed `tradehook_worker_`. */
  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.queueWait = new Histogram({
      name: 'tradehook_signal_queue_wait_seconds',
      help: 'Time from an alert being received to a worker taking it up.',
      labelNames: ['account'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.alertToOrder = new Histogram({
      name: 'tradehook_alert_to_order_seconds',
      help: 'Time from an alert being received to its order request being sent to the exchange.',
      labelNames: ['account'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.slippage = new Histogram({
      name: 'tradehook_fill_slippage_bps',
      help: "Fill price against the alert's price, basis points; positive is worse for the trader.",
      labelNames: ['account', 'side'],
      buckets: SLIPPAGE_BUCKETS,
      registers,
    });
    this.callLatency = new Histogram({
      name: 'tradehook_exchange_call_seconds',
      help: 'Duration of exchange API calls, by ccxt method.',
      labelNames: ['account', 'call'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.callErrors = new Counter({
      name: 'tradehook_exchange_call_errors_total',
      help: 'Failed exchange API calls, by method, error code and kind (transient, permanent…).',
      labelNames: ['account', 'call', 'code', 'kind'],
      registers,
    });
    this.finished = new Counter({
      name: 'tradehook_signals_finished_total',
      help: 'Signals that reached a final status.',
      labelNames: ['account', 'status'],
      registers,
    });
    if (options.processMetrics)
      collectDefaultMetrics({ register: this.registry, prefix: 'tradehook_worker_' });
  }

  signalStarted(event: { account: string; queueWaitMs: number }): void {
    this.queueWait.observe({ account: event.account }, Math.max(0, event.queueWaitMs) / 1000);
  }

  orderSent(event: { account: string; sinceReceivedMs: number }): void {
    this.alertToOrder.observe({ account: event.account }, Math.max(0, event.sinceReceivedMs) / 1000);
  }

  orderFilled(event: { account: string; side: 'buy' | 'sell'; slippageBps: number }): void {
    this.slippage.observe({ account: event.account, side: event.side }, event.slippageBps);
  }

  exchangeCall(event: {
    account: string;
    call: string;
    durationMs: number;
    errorCode?: string;
    errorKind?: string;
  }): void {
    this.callLatency.observe(
      { account: event.account, call: event.call },
      Math.max(0, event.durationMs) / 1000,
    );
    if (event.errorCode !== undefined)
      this.callErrors.inc({
        account: event.account,
        call: event.call,
        code: event.errorCode,
        kind: event.errorKind ?? 'unknown',
      });
  }

  signalFinished(event: { account: string; status: string }): void {
    this.finished.inc({ account: event.account, status: event.status });
  }
}
