import { type PlanStep } from './plan-step';
import { type ExchangeCall, type OrderRecord } from './signal-record';

/**
 * An order whose creation failed ambiguously (timeout, lost response) and whose lookup failed too: it may
 * be live on the exchange. While set, the signal counts as started (it must not expire), and once the run
 * gives up the order watch keeps looking (docs/contract.md "Execution").
 */
export interface UnresolvedOrder {
  clientOrderId: string;
  /** When the request that may have placed it was sent. */
  sentAt: number;
  /** When its fate first became unknown. */
  since: number;
}

/** What a run has done so far; persisted after every step so that a re-run resumes instead of repeating. */
export interface RunProgress {
  steps?: PlanStep[];
  /** What a trader should know: overrides, size adjustments, what was left out (e.g. "already at target"). */
  notes?: string[];
  stepsDone: number;
  orders: OrderRecord[];
  calls: ExchangeCall[];
  unresolved?: UnresolvedOrder;
  /**
   * createOrder requests sent, by client order id: when the last one was sent. Saved BEFORE the request
   * leaves, so a re-run knows whether, and since when, an order may exist; a lookup proves it absent only
   * once that request can no longer be accepted.
   */
  sent?: Record<string, number>;
}
