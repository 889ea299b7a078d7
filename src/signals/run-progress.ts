import { type PlanStep } from './plan-step';
import { type ExchangeCall, type OrderRecord } from './signal-record';

/** What a run has done so far; persisted after every step so that a re-run resumes instead of repeating. */
export interface RunProgress {
  steps?: PlanStep[];
  /** Why the plan does less than the alert literally asked (e.g. "already at target"). */
  notes?: string[];
  stepsDone: number;
  orders: OrderRecord[];
  calls: ExchangeCall[];
  /**
   * An order whose creation failed ambiguously and whose lookup failed too: it may be live on the exchange.
   * While set, the signal counts as started (it must not expire) until a lookup answers.
   */
  unresolved?: { clientOrderId: string; since: number };
  /** Client ids this run has sent a createOrder for (in memory: a re-run looks every order up anyway). */
  sent?: string[];
}
