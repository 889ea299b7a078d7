import { type Alert } from './alert';
import { type AuthMode } from './signal';

/** The signal lifecycle (docs/contract.md "Signal lifecycle"). */
export const SIGNAL_STATUSES = [
  'queued',
  'processing',
  'filled',
  'placed',
  'done',
  'canceled',
  'rejected',
  'failed',
  'expired',
] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
/**
 * Statuses a run ends with. `placed` is final for the run (the job is done) but not for the record: the
 * order watch moves it on to `filled` or `canceled` (see `nextStatusAllowed`).
 */
export const FINAL_STATUSES: ReadonlySet<SignalStatus> = new Set([
  'filled',
  'placed',
  'done',
  'canceled',
  'rejected',
  'failed',
  'expired',
]);

/** One order as placed (or adopted) on the exchange. */
export interface OrderRecord {
  leg: string;
  exchangeId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  amount: number;
  price?: number;
  filled: number;
  average?: number;
  cost?: number;
  fee?: { cost: number; currency: string };
  status: string;
  /**
   * How much worse than the alert's `price` the order filled on average, in percent (negative: better).
   * Present once something filled and the alert carried a price.
   */
  slippage?: number;
  /** When tradehook sent the order request (the last send), epoch ms; absent for an order it did not send. */
  sentAt?: number;
  /** When the exchange's answer placing it (or a lookup finding it) came back, epoch ms. */
  acknowledgedAt?: number;
  /** When tradehook saw it completely filled (the answer for a market order, the order watch for a resting one). */
  filledAt?: number;
}

/** Why a signal did not end as it asked. `code` is stable; `message` is the exchange's or ours. */
export interface SignalError {
  code: string;
  message: string;
}

/** A timed exchange call, for the record's timeline. */
export interface ExchangeCall {
  call: string;
  at: number;
  ms: number;
  ok: boolean;
}

/** What history keeps and the API serves about one signal. Never holds a secret. */
export interface SignalRecord {
  id: string;
  status: SignalStatus;
  account: string;
  symbol: string;
  alert: Alert;
  auth: AuthMode;
  requestId: string;
  receivedAt: number;
  queuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  attempts: number;
  orders: OrderRecord[];
  calls: ExchangeCall[];
  error?: SignalError;
  /**
   * What a trader should know beyond the status: every field that overrode another, every adjustment of
   * the size, what a cancel did, what the order watch found later ("reconciled 14:03: …").
   */
  notes?: string[];
}
