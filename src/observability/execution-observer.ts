/**
 * What the worker reports about execution, for metrics. The engine calls these at the moments named; the
 * Prometheus implementation is `PromExecutionObserver` (metrics-execution.ts). Every label value passed must
 * come from a bounded set (account ids, ccxt method names, error codes, statuses): never user text.
 */
export interface ExecutionObserver {
  /** A job was taken up; `queueWaitMs` since the alert was received. */
  signalStarted(event: { account: string; queueWaitMs: number }): void;
  /** An order request left for the exchange; `sinceReceivedMs` since the alert was received. */
  orderSent(event: { account: string; sinceReceivedMs: number }): void;
  /** An order filled (wholly or partly) at an average price; see {@link slippageBps}. */
  orderFilled(event: { account: string; side: 'buy' | 'sell'; slippageBps: number }): void;
  /**
   * One exchange call ended; `call` is the session method, `errorCode`/`errorKind` the error's code and kind
   * (`transient`, `permanent`…) if it failed.
   */
  exchangeCall(event: {
    account: string;
    call: string;
    durationMs: number;
    errorCode?: string;
    errorKind?: string;
  }): void;
  /** A signal reached its final status. */
  signalFinished(event: { account: string; status: string }): void;
}

/**
 * Slippage of a fill against the alert's reference price, in basis points, positive when it went against
 * us (paid more on a buy, got less on a sell).
 */
export function slippageBps(input: { side: 'buy' | 'sell'; reference: number; average: number }): number {
  const { side, reference, average } = input;
  if (!(reference > 0) || !(average > 0)) return 0;
  const diff = side === 'buy' ? average - reference : reference - average;
  return (diff / reference) * 10_000;
}
