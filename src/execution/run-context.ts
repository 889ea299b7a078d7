import { type ExchangeSession } from '../exchange/exchange-session';
import { type Logger } from '../observability/logger';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { type Clock } from '../util/clock';

/** Sessions that round with the exchange's own rules (ccxt) offer these. */
export interface PrecisionSource {
  amountToPrecision(symbol: string, amount: number): number;
  priceToPrecision(symbol: string, price: number): number;
}

export type RunSession = ExchangeSession & Partial<PrecisionSource>;

/** What one run of one signal works with; shared by the planning, the steps and the order placement. */
export interface RunContext {
  signal: SignalEnvelope;
  session: RunSession;
  /** Mutated as the run goes; {@link save} persists it. */
  progress: RunProgress;
  save(): Promise<void>;
  log: Logger;
  clock: Clock;
  /**
   * The signal's first run (attempt 1). Client ids derive from the signal id, so on a first run no order can
   * carry one unless this very run sent it: the lookup before the first send is skipped, saving a round trip
   * to the exchange on every order. Any re-run (attempt ≥ 2) looks every order up first.
   */
  firstRun: boolean;
  /** Aborted on shutdown: waits stop at once. */
  shutdown?: AbortSignal;
  /**
   * The kill switch: throws the `paused` error (src/execution/pause-gate.ts) when the account is paused.
   * Called before the signal plans (its first read goes out with the start, see ExecutionDeps.pauseOf) and
   * immediately before each order is sent, once the send's record is saved.
   */
  checkPause?: () => Promise<void>;
}

/** Runs an exchange call and keeps its timing in the record's timeline. */
export async function timed<T>(ctx: RunContext, name: string, fn: () => Promise<T>): Promise<T> {
  const at = ctx.clock.now();
  try {
    const result = await fn();
    ctx.progress.calls.push({ call: name, at, ms: ctx.clock.now() - at, ok: true });
    return result;
  } catch (error) {
    ctx.progress.calls.push({ call: name, at, ms: ctx.clock.now() - at, ok: false });
    throw error;
  }
}
