import { type Logger } from '../observability/logger';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalError, type SignalStatus } from '../signals/signal-record';

/** What SignalStore (signal-store.ts) takes and answers. */

export interface SignalStoreOptions {
  /** The clock of events and dead-letter times where the caller gives none. @defaultValue Date.now */
  now?: () => number;
  /** Length cap of the event log (see EventLog). @defaultValue 200000 */
  eventLogMaxLength?: number;
  /** Where a status change whose statistics could not be updated is reported (the change itself stands). */
  logger?: Pick<Logger, 'warn'>;
}

/** A run's end, as {@link SignalStore.finish} writes it. */
export interface FinishedRun {
  status: SignalStatus;
  finishedAt: number;
  progress: RunProgress;
  error?: SignalError;
  /** Hands the signal to the order watch in the same step, first check at `firstCheckAt`. */
  watch?: { firstCheckAt: number };
}

/** What the order watch writes about a signal it checked (see {@link SignalStore.update}). */
export interface WatchUpdate {
  /** The status the watch read: the update applies only if the record still has it. */
  from: SignalStatus;
  to: SignalStatus;
  progress: RunProgress;
  /** The record's error after the update; `null` clears it. */
  error?: SignalError | null;
  /** When the status became final (set when the watch settles the signal). */
  finishedAt?: number;
}

/** What {@link SignalStore.requeue} did. */
export type RequeueResult =
  | { state: 'queued'; signal: SignalEnvelope }
  | { state: 'conflict'; status: SignalStatus }
  | { state: 'not_found' };

/** The outcome of a start: the run's attempt and earlier progress, or the final status it already has. */
export type StartResult =
  | { state: 'started'; attempt: number; progress: RunProgress }
  | { state: 'final'; status: SignalStatus; error?: SignalError };
