import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  type IPolicy,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { type AppError } from '../../errors/app-error';
import { ExchangeError } from '../errors/exchange-error';
import { translateExchangeError } from '../errors/translate-ccxt-error';

/** Circuit breaker state as the rest of the app sees it (`/ready`, metrics). */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Tuning of one account's policies. Every field is optional. */
export interface ExchangePolicyOptions {
  /**
   * Hard limit of ONE attempt, including time spent in ccxt's own rate-limit queue (which ccxt's `timeout`
   * does not cover). Set it at or above the account's ccxt `timeout`. @defaultValue 10000
   */
  timeoutMs?: number;
  /** Attempts of a `read()` call in total, the first included (so 3 = up to 2 retries). @defaultValue 3 */
  maxAttempts?: number;
  /** First retry delay; later ones grow exponentially with decorrelated jitter. @defaultValue 250 */
  initialDelayMs?: number;
  /** Upper bound of one retry delay. @defaultValue 5000 */
  maxDelayMs?: number;
  /** Consecutive transient failures (of any call) that open the breaker. @defaultValue 5 */
  breakerThreshold?: number;
  /** How long the breaker stays open before letting one trial call through. @defaultValue 30000 */
  halfOpenAfterMs?: number;
  /** Called before each retry of a `read()` (for logs and metrics). */
  onRetry?: (event: { attempt: number; delayMs: number; error: AppError }) => void;
}

/** What `read()`/`write()` pass to the wrapped call: aborted when the attempt timed out. */
export type PolicyCall<T> = (signal: AbortSignal) => Promise<T>;

/** A subscription handle. */
export interface Disposable {
  dispose(): void;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The resilience policies of ONE exchange account: a per-attempt timeout, retries of transient failures with
 * exponential backoff and jitter, and a circuit breaker shared by every call of the account.
 *
 * - `read(fn)`: timeout → breaker → retry. For reads and idempotent calls (cancel-all, set leverage).
 * - `write(fn)`: timeout → breaker, NO retry. Order creation is never blindly retried: after an ambiguous
 *   failure the caller looks the order up by its client id and decides.
 *
 * Every error leaving a call is translated: an {@link ExchangeError} (`circuit_open` when the breaker
 * rejected the call without sending it, `timeout` when the attempt ran out of time), or an {@link AppError}
 * that the wrapped code raised on purpose.
 */
export class ExchangePolicy {
  /** The per-attempt time limit. */
  readonly timeoutMs: number;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly readPolicy: IPolicy;
  private readonly writePolicy: IPolicy;

  constructor(options: ExchangePolicyOptions = {}) {
    // Only transient failures count against the breaker and are retried: an InsufficientFunds answer proves
    // the exchange is up, so it must neither open the circuit nor be sent again.
    const transient = handleWhen((error) => toPolicyError(error).kind === 'transient');
    const retryable = handleWhen((error) => {
      const translated = toPolicyError(error);
      // Retrying into an open breaker only burns the backoff: it rejects until halfOpenAfter has passed.
      return translated.kind === 'transient' && translated.code !== 'circuit_open';
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const attemptTimeout = timeout(this.timeoutMs, TimeoutStrategy.Aggressive);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    });
    const retries = retry(retryable, {
      maxAttempts: Math.max(0, (options.maxAttempts ?? 3) - 1),
      backoff: new ExponentialBackoff({
        initialDelay: options.initialDelayMs ?? 250,
        maxDelay: options.maxDelayMs ?? 5_000,
      }),
    });
    if (options.onRetry) {
      const onRetry = options.onRetry;
      retries.onRetry((event) => {
        const error = 'error' in event ? toPolicyError(event.error) : toPolicyError(event.value);
        onRetry({ attempt: event.attempt, delayMs: event.delay, error });
      });
    }
    // Every attempt is timed and counted by the breaker on its own, so five timeouts open the circuit even
    // when they belong to two calls.
    this.readPolicy = wrap(retries, this.breaker, attemptTimeout);
    this.writePolicy = wrap(this.breaker, attemptTimeout);
  }

  /** Runs an idempotent call with retries. Rejects with a translated error. */
  read<T>(fn: PolicyCall<T>): Promise<T> {
    return this.run(this.readPolicy, fn);
  }

  /** Runs a non-idempotent call (order creation) once. Rejects with a translated error. */
  write<T>(fn: PolicyCall<T>): Promise<T> {
    return this.run(this.writePolicy, fn);
  }

  /** The breaker's current state. */
  get breakerState(): BreakerState {
    return STATE_NAMES[this.breaker.state];
  }

  /** Subscribes to breaker state changes (for `/ready` and metrics). */
  onStateChange(listener: (state: BreakerState) => void): Disposable {
    return this.breaker.onStateChange((state) => listener(STATE_NAMES[state]));
  }

  /** Holds the breaker open (e.g. an operator's kill switch) until the handle is disposed. */
  isolate(): Disposable {
    return this.breaker.isolate();
  }

  private async run<T>(policy: IPolicy, fn: PolicyCall<T>): Promise<T> {
    try {
      return await policy.execute(({ signal }) => fn(signal));
    } catch (error) {
      throw toPolicyError(error);
    }
  }
}

/** Cockatiel's own rejections first (they are not ccxt errors), then the ccxt translation. */
function toPolicyError(error: unknown): AppError {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    const isolated = error instanceof IsolatedCircuitError;
    return new ExchangeError(
      isolated
        ? 'exchange calls are paused for this account (circuit isolated)'
        : 'exchange calls are paused for this account after repeated failures (circuit open)',
      {
        code: 'circuit_open',
        kind: 'transient',
        cause: error,
        details: { breaker: isolated ? 'isolated' : 'open' },
      },
    );
  }
  if (error instanceof TaskCancelledError) {
    return new ExchangeError('the exchange did not answer in time', {
      code: 'timeout',
      kind: 'transient',
      cause: error,
    });
  }
  return translateExchangeError(error);
}
