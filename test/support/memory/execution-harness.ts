import { type executeSignal } from '../../../src/execution/execute-signal';
import { type ExecutionDeps } from '../../../src/execution/execution-deps';
import { type Alert } from '../../../src/signals/alert';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { FakeClock } from './fake-clock';
import { executeOnMain, mainSignal, timedExchange } from './main-account';
import { MemoryExchange } from './memory-exchange';
import { MemoryHistory } from './memory-history';

/** The signal every harness runs, and the client id of its opening order. */
export const SIGNAL_ID = 'sig_0123456789abcdef01234567';
export const OPEN = 'th0123456789abcdef01234567open';

export interface ExecutionHarness {
  clock: FakeClock;
  exchange: MemoryExchange;
  history: MemoryHistory;
  signal: SignalEnvelope;
  /** Runs the signal once with the harness's deps, `extra` overriding them. */
  run: (extra?: Partial<ExecutionDeps>) => ReturnType<typeof executeSignal>;
}

export interface ExecutionHarnessOptions {
  /** @defaultValue 300 */
  maxAgeSeconds?: number;
  /** Over `{ baseDelayMs: 1000, maxDelayMs: 10000 }`. */
  retry?: ExecutionDeps['retry'];
  /** Epoch ms the fake clock starts at. @defaultValue {@link FakeClock}'s */
  at?: number;
  /** Over `{ id: SIGNAL_ID, auth: 'token', requestId: 'req-1', receivedAt: <the clock's start> }`. */
  envelope?: Partial<Omit<SignalEnvelope, 'alert'>>;
  /**
   * The exchange fills market orders at `price` and answers each order `answerMs` later on the clock.
   * @defaultValue a {@link MemoryExchange} that answers at once
   */
  timing?: Parameters<typeof timedExchange>[1];
}

/**
 * executeSignal on account `main` (spot) against a {@link MemoryExchange} and a {@link MemoryHistory} on a
 * fake clock: a market buy of 0.01 BTCUSDT at 60,000, received now, expiring after `maxAgeSeconds`.
 */
export function executionHarness(
  alert: Partial<Alert> = {},
  options: ExecutionHarnessOptions = {},
): ExecutionHarness {
  const clock = new FakeClock(options.at);
  const exchange = options.timing
    ? timedExchange(clock, options.timing)
    : new MemoryExchange(clock, { accountId: 'main' });
  const history = new MemoryHistory();
  const signal = mainSignal(
    { id: SIGNAL_ID, auth: 'token', requestId: 'req-1', receivedAt: clock.now(), ...options.envelope },
    { action: 'buy', ...alert },
  );
  const run = (extra: Partial<ExecutionDeps> = {}) =>
    executeOnMain(signal, {
      exchange,
      history,
      maxAgeSeconds: options.maxAgeSeconds ?? 300,
      retry: { baseDelayMs: 1_000, maxDelayMs: 10_000, ...options.retry },
      clock,
      ...extra,
    });
  return { clock, exchange, history, signal, run };
}
