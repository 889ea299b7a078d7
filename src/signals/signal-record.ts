import { type Alert } from './alert';
import { type AuthMode } from './signal';

/** The signal lifecycle (docs/contract.md "Signal lifecycle"). */
export const SIGNAL_STATUSES = [
  'queued',
  'processing',
  'filled',
  'placed',
  'rejected',
  'failed',
  'expired',
] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<SignalStatus> = new Set([
  'filled',
  'placed',
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
  /** Why the plan did less than the alert literally asked, e.g. "already at the target position". */
  notes?: string[];
}
