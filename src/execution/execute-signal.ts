import { AppError } from '../errors/app-error';
import { type Logger } from '../observability/logger';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalError, type SignalStatus } from '../signals/signal-record';
import { expiresAt, expiryReason } from './expiry';
import { type RunProgress } from '../signals/run-progress';
import { type ExecutionAccount, type RunSession, SignalRun } from './signal-run';
import { backoffMs } from '../util/backoff';
import { sleep } from './wait';

export type { ExecutionAccount, PrecisionSource } from './signal-run';

/** Where signal records are kept (implemented by history/SignalStore). */
export interface ExecutionHistory {
  /**
   * Marks the signal `processing` and returns the attempt number (1 on the first run) with what earlier
   * runs did, in one step.
   */
  start(signal: SignalEnvelope, startedAt: number): Promise<{ attempt: number; progress: RunProgress }>;
  saveProgress(signalId: string, progress: RunProgress): Promise<void>;
  finish(
    signalId: string,
    status: SignalStatus,
    outcome: { finishedAt: number; progress: RunProgress; error?: SignalError },
  ): Promise<void>;
}

/** Tuning of the in-process waits after transient failures. */
export interface RetryTuning {
  /** @defaultValue 500 */
  baseDelayMs: number;
  /** @defaultValue 15000 */
  maxDelayMs: number;
  /**
   * Once an order of the signal is on the exchange, its remaining steps (e.g. a stop-loss) keep being
   * retried this long after the first order, even past the signal's expiry: a protective leg must not be
   * dropped because the exchange hiccuped. @defaultValue 600000
   */
  afterFirstOrderMs: number;
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
  now?: () => number;
}

export interface ExecutionOutcome {
  status: SignalStatus;
  error?: SignalError;
}

const DEFAULT_RETRY: RetryTuning = { baseDelayMs: 500, maxDelayMs: 15_000, afterFirstOrderMs: 600_000 };

/**
 * Carries out one signal: expiry, market, snapshot, plan, orders. Transient exchange failures are waited
 * out here, holding the signal's partition so that no later signal for the symbol overtakes it; the signal
 * expires instead if it could not start trading in time. Safe to run again for the same signal (BullMQ is
 * at-least-once): the plan and the steps done are persisted, and every order is looked up by its
 * deterministic client id before it is sent.
 */
export async function executeSignal(signal: SignalEnvelope, deps: ExecutionDeps): Promise<ExecutionOutcome> {
  const now = deps.now ?? Date.now;
  const tuning = { ...DEFAULT_RETRY, ...deps.retry };
  const log = deps.logger.child({ signalId: signal.id, requestId: signal.requestId });
  const { attempt, progress } = await deps.history.start(signal, now());
  log.info('signal started', {
    attempt,
    account: signal.alert.account,
    symbol: signal.alert.symbol,
    resumed: progress.stepsDone > 0,
  });

  const outcome = await runToEnd(signal, deps, progress, log, now, tuning, attempt === 1);
  await deps.history.finish(signal.id, outcome.status, { finishedAt: now(), progress, error: outcome.error });
  log[outcome.status === 'failed' ? 'error' : 'info']('signal finished', {
    status: outcome.status,
    orders: progress.orders.length,
    ...(outcome.error ? { code: outcome.error.code, reason: outcome.error.message } : {}),
  });
  return outcome;
}

async function runToEnd(
  signal: SignalEnvelope,
  deps: ExecutionDeps,
  progress: RunProgress,
  log: Logger,
  now: () => number,
  tuning: RetryTuning,
  firstRun: boolean,
): Promise<ExecutionOutcome> {
  const account = deps.accounts.get(signal.alert.account);
  if (!account)
    return rejected('unknown_account', `account "${signal.alert.account}" is not configured in this worker`);
  const save = (p: RunProgress) => deps.history.saveProgress(signal.id, p);
  const run = new SignalRun(signal, deps.session(account.id), progress, save, log, now, firstRun);

  for (let retry = 1; ; retry++) {
    // A signal may only START trading in time; once an order is (or may be) out, the rest must follow.
    const started = progress.orders.length > 0;
    const expired = started ? undefined : expiryReason(signal, now(), deps.maxAgeSeconds);
    if (expired && !progress.unresolved)
      return { status: 'expired', error: { code: 'expired', message: expired } };
    try {
      const plan = await run.plan(account);
      if (!plan.ok) return rejected(plan.code, plan.reason);
      // Expired with an order of unknown fate: only look it up, adopt it if it exists, never send it now.
      await run.perform({ mayOpen: !expired });
      return { status: progress.orders.some((o) => o.status === 'open') ? 'placed' : 'filled' };
    } catch (error) {
      const e = asAppError(error);
      if (e.code === 'expired')
        return { status: 'expired', error: { code: 'expired', message: expired ?? e.message } };
      if (e.kind !== 'transient') return { status: 'failed', error: { code: e.code, message: e.message } };
      const delay = backoffMs(retry, tuning.baseDelayMs, tuning.maxDelayMs);
      if (now() + delay > retryDeadline(signal, progress, deps.maxAgeSeconds, tuning, now()))
        return giveUp(progress, retry, e);
      log.warn('transient exchange failure; waiting', {
        code: e.code,
        error: e.message,
        retry,
        delayMs: delay,
      });
      await sleep(delay, deps.shutdown);
    }
  }
}

/**
 * Until when a transient failure is waited out: the signal's expiry while nothing may be out; once an order
 * is (or may be) on the exchange, `afterFirstOrderMs` from then, so protective legs are not dropped.
 */
function retryDeadline(
  signal: SignalEnvelope,
  progress: RunProgress,
  maxAgeSeconds: number,
  tuning: RetryTuning,
  now: number,
): number {
  if (progress.orders.length > 0) return firstOrderAt(progress, now) + tuning.afterFirstOrderMs;
  if (progress.unresolved) return progress.unresolved.since + tuning.afterFirstOrderMs;
  return expiresAt(signal, maxAgeSeconds);
}

function giveUp(progress: RunProgress, retries: number, e: { message: string }): ExecutionOutcome {
  if (progress.unresolved) {
    return {
      status: 'failed',
      error: {
        code: 'order_state_unknown',
        message: `order ${progress.unresolved.clientOrderId} may be live: the exchange could not confirm it (${e.message}); check it by hand`,
      },
    };
  }
  if (progress.orders.length === 0) {
    return {
      status: 'expired',
      error: { code: 'expired', message: `exchange unavailable until expiry: ${e.message}` },
    };
  }
  return {
    status: 'failed',
    error: { code: 'retries_exhausted', message: `gave up after ${retries} attempts: ${e.message}` },
  };
}

function firstOrderAt(progress: RunProgress, fallback: number): number {
  const created = progress.calls.find((c) => c.call === 'createOrder' && c.ok);
  return created?.at ?? fallback;
}

function rejected(code: string, message: string): ExecutionOutcome {
  return { status: 'rejected', error: { code, message } };
}

/** Errors identified by `kind`/`code`, never by class (STYLE rule 5); anything unknown is permanent. */
function asAppError(error: unknown): { kind: string; code: string; message: string } {
  if (error instanceof AppError) return error;
  const e = error as { kind?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.kind === 'string' && typeof e.code === 'string') {
    return { kind: e.kind, code: e.code, message: String(e.message) };
  }
  return { kind: 'permanent', code: 'unexpected', message: (error as Error)?.message ?? String(error) };
}
