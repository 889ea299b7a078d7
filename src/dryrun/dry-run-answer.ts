import { type Alert } from '../signals/alert';
import { type OrderIntent } from '../signals/order-intent';

/**
 * What the web process asks a worker for `POST /api/v1/signals?dryRun=true`, and what the worker answers.
 * Plain data: it crosses Redis as BullMQ job data and return value.
 */

/** The BullMQ queue of dry runs (one, beside the signal partitions; never a partition). */
export const DRY_RUN_QUEUE = 'dry-run';

export interface DryRunRequest {
  /** The signal id a real submission of this alert would get: its orders' client ids derive from it. */
  signalId: string;
  /** Validated and normalised by the web (the intake's own parseAlert). */
  alert: Alert;
  requestId: string;
  /** Epoch ms after which nobody waits for the answer: a worker that takes the job later skips it. */
  deadline: number;
}

/** One order the signal would send, as the exchange would receive it (amounts in the market's precision). */
export type DryRunIntent = OrderIntent & {
  /** amount × price (× contract size), in the quote currency, when a price is known. Fees not included. */
  estimatedCost?: number;
  /**
   * The fee at the market's rate (taker for market orders, maker for limit orders), valued in the quote
   * currency like `estimatedCost`, when both a price and the rate are known. Negative for a maker rebate.
   */
  estimatedFee?: number;
};

/** A step that is not an order: canceling open orders, setting margin mode or leverage. */
export type DryRunAction =
  | { kind: 'cancel_open'; symbol: string }
  | { kind: 'set_margin_mode'; symbol: string; mode: 'isolated' | 'cross' }
  | { kind: 'set_leverage'; symbol: string; leverage: number };

/**
 * Why the signal would not (entirely) go through: the planner's refusal (`plan`), the kill switch
 * (`kill_switch`), a refusal the exchange is predicted to give from the balances read (`funds`), or an
 * exchange call that failed while planning (`exchange`).
 */
export interface DryRunRefusal {
  code: string;
  reason: string;
  source: 'plan' | 'kill_switch' | 'funds' | 'exchange';
  /** For `funds`: what the orders need (fees charged on top included) and what is free, in `currency`. */
  needed?: number;
  available?: number;
  currency?: string;
}

export interface DryRunMarket {
  symbol: string;
  type: string;
  base: string;
  quote: string;
  settle?: string;
  contractSize?: number;
  precision: { amount?: number; price?: number };
  limits: { amountMin?: number; costMin?: number };
}

export interface DryRunAnswer {
  dryRun: true;
  /** The signal id a real submission of this alert would get. */
  id: string;
  account: string;
  exchange: string;
  /** The alert's symbol as sent. */
  symbol: string;
  /** The market it resolved to, or null when it did not resolve. */
  market: DryRunMarket | null;
  /**
   * `would_place`: orders would be sent; `nothing_to_do`: the plan has no step (notes say why);
   * `refused`: see `refusal` (intents are still listed when the plan was made, e.g. while paused);
   * `error`: the exchange could not be read.
   */
  outcome: 'would_place' | 'nothing_to_do' | 'refused' | 'error';
  intents: DryRunIntent[];
  actions: DryRunAction[];
  notes: string[];
  refusal: DryRunRefusal | null;
  /** What the plan was made against. Balances only of the market's currencies. */
  snapshot: {
    price?: number;
    position?: { symbol: string; contracts: number; side: string };
    balances?: Record<string, { free: number; used: number; total: number }>;
  };
  /** The exchange reads made, in order, with their duration. */
  calls: Array<{ call: string; ms: number; ok: boolean }>;
  plannedAt: string;
  durationMs: number;
}
