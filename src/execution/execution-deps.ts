import { type Logger } from '../observability/logger';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalError, type SignalStatus } from '../signals/signal-record';
import { type Clock } from '../util/clock';
import { type PauseLookup } from './pause-gate';
import { type ExecutionAccount, type RunSession } from './signal-run';

/**
 * What the execution engine works with and answers (src/execution/execute-signal.ts): its ports (history,
 * sessions, the kill switch), its tuning, and its outcomes. The worker wires them (src/main/worker-process.ts).
 */

/** How a finished signal hands its orders to the order watch (see `OrderWatch`). */
export interface WatchRequest {
  /** When the watch first looks (epoch ms). */
  firstCheckAt: number;
}

/** What a run ends with, as history stores it. */
export interface RunOutcome {
  status: SignalStatus;
  finishedAt: number;
  progress: RunProgress;
  error?: SignalError;
  /** Set when an order rests or its fate is unknown: the order watch takes it over, atomically. */
  watch?: WatchRequest;
}

/** Where signal records are kept (implemented by history/SignalStore). Every status change goes through it. */
export interface ExecutionHistory {
  /**
   * Marks the signal `processing` and returns the attempt number (1 on the first run) with what earlier
   * runs did, in one step — unless its record already has a final status (a job BullMQ runs again after it
   * finished): then nothing changes and that status is returned.
   */
  start(
    signal: SignalEnvelope,
    startedAt: number,
  ): Promise<
    | { state: 'started'; attempt: number; progress: RunProgress }
    | { state: 'final'; status: SignalStatus; error?: SignalError }
  >;
  /** Persists progress; rejects if the record is no longer `processing` (another party ended it). */
  saveProgress(signalId: string, progress: RunProgress): Promise<void>;
  /** Ends the run; `false` when the record was not `processing` any more (nothing was written). */
  finish(signalId: string, outcome: RunOutcome): Promise<boolean>;
}

/** Tuning of the in-process waits after transient failures. */
export interface RetryTuning {
  /** @defaultValue 500 */
  baseDelayMs: number;
  /** @defaultValue 15000 */
  maxDelayMs: number;
  /**
   * Once an order of the signal is (or may be) on the exchange, its remaining steps (e.g. a stop-loss) and
   * the lookup of an order of unknown fate keep being retried this long after the first order, even past
   * the signal's expiry: a protective leg must not be dropped because the exchange hiccuped. After that an
   * order of unknown fate is left to the order watch. @defaultValue 600000
   */
  afterFirstOrderMs: number;
  /** First re-check of a held signal's account (paused with `hold`); doubles up to the max. @defaultValue 500 */
  holdBaseDelayMs: number;
  /** Longest wait between re-checks of a held signal's account, i.e. the latest a resume is noticed. @defaultValue 5000 */
  holdMaxDelayMs: number;
}

export interface ExecutionDeps {
  accounts: Map<string, ExecutionAccount>;
  session: (accountId: string) => RunSession;
  history: ExecutionHistory;
  logger: Logger;
  /** `SIGNAL_MAX_AGE_SECONDS`: a signal received longer ago than this expires instead of trading. */
  maxAgeSeconds: number;
  retry?: Partial<RetryTuning>;
  /** Aborted on shutdown: waits stop at once (the job is then re-run by another worker, in order). */
  shutdown?: AbortSignal;
  /** @defaultValue the system clock */
  clock?: Clock;
  /** Delay before the order watch first looks at a resting order or one of unknown fate. @defaultValue 2000 */
  watchDelayMs?: number;
  /**
   * The kill switch (src/control's PauseStore); without it nothing is ever paused. The run's first read is
   * sent right behind the signal's start, without waiting for the start's answer, so that on one connection
   * both take one round trip; which of the two Redis runs first does not matter. The read right before an
   * order waits for the send's record instead.
   */
  pauseOf?: PauseLookup;
}

export interface ExecutionOutcome {
  status: SignalStatus;
  error?: SignalError;
}

export const DEFAULT_RETRY: RetryTuning = {
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  afterFirstOrderMs: 600_000,
  holdBaseDelayMs: 500,
  holdMaxDelayMs: 5_000,
};
