import { type Logger } from '../observability/logger';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { isResting, statusOfOrders } from '../signals/signal-status';
import { backoffMs } from '../util/backoff';
import { type Clock, systemClock } from '../util/clock';
import { errorFacts, isShutdown } from './error-facts';
import { DEFAULT_RETRY, type ExecutionDeps, type ExecutionOutcome, type RetryTuning } from './execution-deps';
import { expiresAt, expiryReason } from './expiry';
import { checkPause, pauseOf } from './pause-gate';
import { type RunContext, SignalRun } from './signal-run';

export type { ExecutionAccount } from './signal-run';

/**
 * Carries out one signal: expiry, market, snapshot, plan, orders. Transient exchange failures are waited
 * out here, holding the signal's partition so that no later signal for the symbol overtakes it; the signal
 * expires instead if it could not start trading in time. Safe to run again for the same signal (BullMQ is
 * at-least-once): the plan and the steps done are persisted, every order is looked up by its deterministic
 * client id before it is sent again, and a record that already ended is left as it is.
 */
export async function executeSignal(signal: SignalEnvelope, deps: ExecutionDeps): Promise<ExecutionOutcome> {
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ signalId: signal.id, requestId: signal.requestId });
  const pauseCheck = pauseCheckOf(signal, deps);
  // The kill switch is read with the start, in the same round trip (see ExecutionDeps.pauseOf); the run
  // awaits the answer before it plans, unless the record is final or the signal expired.
  const starting = deps.history.start(signal, clock.now());
  const firstCheck = pauseCheck?.();
  firstCheck?.catch(() => undefined);
  const started = await starting;
  if (started.state === 'final') {
    log.info('signal already finished; nothing to do', { status: started.status });
    return { status: started.status, ...(started.error ? { error: started.error } : {}) };
  }
  const { attempt, progress } = started;
  log.info('signal started', {
    attempt,
    account: signal.alert.account,
    symbol: signal.alert.symbol,
    resumed: progress.stepsDone > 0,
  });

  const outcome = await runToEnd({
    signal,
    deps,
    progress,
    log,
    clock,
    firstRun: attempt === 1,
    pauseCheck,
    firstCheck,
  });
  const watched = outcome.error?.code === 'order_state_unknown' || progress.orders.some(isResting);
  const written = await deps.history.finish(signal.id, {
    ...outcome,
    finishedAt: clock.now(),
    progress,
    ...(watched ? { watch: { firstCheckAt: clock.now() + (deps.watchDelayMs ?? 2_000) } } : {}),
  });
  if (!written) log.warn('signal record was ended by another party meanwhile; outcome not written');
  log[outcome.status === 'failed' ? 'error' : 'info']('signal finished', {
    status: outcome.status,
    orders: progress.orders.length,
    ...(outcome.error ? { code: outcome.error.code, reason: outcome.error.message } : {}),
  });
  return outcome;
}

interface RunInput {
  signal: SignalEnvelope;
  deps: ExecutionDeps;
  progress: RunProgress;
  log: Logger;
  clock: Clock;
  firstRun: boolean;
  /** The kill switch's check (none for a flatten). */
  pauseCheck?: () => Promise<void>;
  /** Its first read, already under way: the run's first check. */
  firstCheck?: Promise<void>;
}

async function runToEnd(input: RunInput): Promise<ExecutionOutcome> {
  const { signal, deps, progress, log, clock } = input;
  const tuning = { ...DEFAULT_RETRY, ...deps.retry };
  const account = deps.accounts.get(signal.alert.account);
  if (!account)
    return rejected('unknown_account', `account "${signal.alert.account}" is not configured in this worker`);
  const ctx: RunContext = {
    signal,
    session: deps.session(account.id),
    progress,
    save: () => deps.history.saveProgress(signal.id, progress),
    log,
    clock,
    firstRun: input.firstRun,
    shutdown: deps.shutdown,
  };
  if (input.pauseCheck) ctx.checkPause = input.pauseCheck;
  let firstCheck = input.firstCheck;
  const run = new SignalRun(ctx);

  let retry = 0;
  let held = 0;
  for (;;) {
    // A signal may only START trading in time; once an order is (or may be) out, the rest must follow.
    const expired =
      progress.orders.length > 0 ? undefined : expiryReason(signal, clock.now(), deps.maxAgeSeconds);
    if (expired && !progress.unresolved)
      return { status: 'expired', error: { code: 'expired', message: expired } };
    try {
      // A paused account's signal fetches nothing; the check is repeated right before each order.
      const check = firstCheck;
      firstCheck = undefined;
      if (!expired) await (check ?? ctx.checkPause?.());
      const plan = await run.plan(account);
      if (!plan.ok) return rejected(plan.code, plan.reason);
      // Expired with an order of unknown fate: only look it up, adopt it if it exists, never send it now.
      await run.perform({ mayOpen: !expired });
      return { status: statusOfOrders(progress.orders) };
    } catch (error) {
      if (isShutdown(error)) throw error;
      const e = errorFacts(error);
      const pause = pauseOf(error);
      if (pause) {
        if (!pause.hold) return rejected('paused', e.message);
        const now = clock.now();
        const deadline = retryDeadline(signal, progress, deps.maxAgeSeconds, tuning, now);
        if (now >= deadline) return heldTooLong(progress, e.message);
        held += 1;
        const delay = Math.min(
          backoffMs(held, tuning.holdBaseDelayMs, tuning.holdMaxDelayMs),
          deadline - now,
        );
        if (held === 1)
          log.info('account paused with hold; the signal waits for a resume', { reason: e.message });
        await clock.sleep(delay, deps.shutdown);
        continue;
      }
      if (e.code === 'expired')
        return { status: 'expired', error: { code: 'expired', message: expired ?? e.message } };
      if (e.kind !== 'transient') return { status: 'failed', error: { code: e.code, message: e.message } };
      retry += 1;
      const delay = backoffMs(retry, tuning.baseDelayMs, tuning.maxDelayMs);
      if (clock.now() + delay > retryDeadline(signal, progress, deps.maxAgeSeconds, tuning, clock.now()))
        return giveUp(progress, retry, e);
      log.warn('transient exchange failure; waiting', {
        code: e.code,
        error: e.message,
        retry,
        delayMs: delay,
      });
      await clock.sleep(delay, deps.shutdown);
    }
  }
}

/**
 * Until when a transient failure is waited out: the signal's expiry while nothing may be out; once an order
 * is (or may be) on the exchange, `afterFirstOrderMs` from the first send, so protective legs are not
 * dropped and an order of unknown fate is looked for that long before the order watch takes over.
 */
function retryDeadline(
  signal: SignalEnvelope,
  progress: RunProgress,
  maxAgeSeconds: number,
  tuning: RetryTuning,
  now: number,
): number {
  if (progress.orders.length === 0 && !progress.unresolved) return expiresAt(signal, maxAgeSeconds);
  const sends = Object.values(progress.sent ?? {});
  const firstSent = sends.length > 0 ? Math.min(...sends) : (progress.unresolved?.since ?? now);
  return firstSent + tuning.afterFirstOrderMs;
}

function giveUp(progress: RunProgress, retries: number, e: { message: string }): ExecutionOutcome {
  if (progress.unresolved) {
    return {
      status: 'failed',
      error: {
        code: 'order_state_unknown',
        message: `order ${progress.unresolved.clientOrderId} may be live: the exchange could not confirm it (${e.message}); tradehook keeps checking for 24 h and completes this record when it can`,
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

/**
 * A held signal whose time ran out while its account stayed paused: `expired` if it had placed nothing,
 * else `rejected` with `paused` (its remaining steps were never sent; the orders it placed stand).
 */
function heldTooLong(progress: RunProgress, reason: string): ExecutionOutcome {
  if (progress.orders.length === 0 && !progress.unresolved)
    return { status: 'expired', error: { code: 'expired', message: `held until it expired: ${reason}` } };
  return rejected('paused', `held past its deadline, remaining steps not sent: ${reason}`);
}

function rejected(code: string, message: string): ExecutionOutcome {
  return { status: 'rejected', error: { code, message } };
}

/** The kill switch's check for this signal; none for a flatten (the panic button works on a paused account). */
function pauseCheckOf(signal: SignalEnvelope, deps: ExecutionDeps): (() => Promise<void>) | undefined {
  const lookup = deps.pauseOf;
  if (!lookup || signal.alert.action === 'flatten') return undefined;
  return () => checkPause(lookup, signal.alert.account);
}
