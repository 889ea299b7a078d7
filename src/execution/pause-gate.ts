import { type EffectivePause } from '../control/pause-state';
import { AppError } from '../errors/app-error';
import { type SignalEnvelope } from '../signals/signal';
import { backoffMs } from '../util/backoff';
import { type Clock } from '../util/clock';
import { expiresAt } from './expiry';

/** Reads the pause an account is under (src/control's PauseStore in the worker). */
export type PauseLookup = (accountId: string) => Promise<EffectivePause | undefined>;

/**
 * Throws the `paused` error when the account is paused (the kill switch): a permanent error whose
 * `details.hold` says whether the signal should wait for a resume instead of ending `rejected`. A lookup
 * that fails is a transient error: the switch is never assumed off because it could not be read.
 */
export async function checkPause(lookup: PauseLookup, accountId: string): Promise<void> {
  let pause: EffectivePause | undefined;
  try {
    pause = await lookup(accountId);
  } catch (error) {
    throw new AppError(`the kill switch could not be read: ${(error as Error).message}`, {
      code: 'pause_unknown',
      kind: 'transient',
      cause: error,
    });
  }
  if (!pause) return;
  const scope = pause.scope === 'all' ? 'every account is paused' : `account "${accountId}" is paused`;
  throw new AppError(`${scope} (by ${pause.by} since ${new Date(pause.since).toISOString()})`, {
    code: 'paused',
    kind: 'permanent',
    details: { hold: pause.hold },
  });
}

/** Whether an error is the kill switch's, and whether it holds (waits) rather than rejects. */
export function pauseOf(error: unknown): { hold: boolean } | undefined {
  const e = error as { code?: unknown; details?: { hold?: unknown } } | undefined;
  if (e?.code !== 'paused') return undefined;
  return { hold: e.details?.hold === true };
}

export interface HoldWaitOptions {
  lookup: PauseLookup;
  clock: Clock;
  /** `SIGNAL_MAX_AGE_SECONDS`. */
  maxAgeSeconds: number;
  /** @defaultValue 500 */
  baseDelayMs?: number;
  /** @defaultValue 5000 */
  maxDelayMs?: number;
  shutdown?: AbortSignal;
}

/**
 * Waits, re-checking with backoff, while the signal's account is paused with hold and the signal has not
 * expired. Advisory only (it runs before the signal takes a worker slot): whatever it sees, the run checks the
 * switch again itself, so a lookup that fails here just ends the wait.
 */
export async function waitWhileHeld(signal: SignalEnvelope, options: HoldWaitOptions): Promise<void> {
  const deadline = expiresAt(signal, options.maxAgeSeconds);
  for (let attempt = 1; ; attempt++) {
    const pause = await options.lookup(signal.alert.account).catch(() => undefined);
    const now = options.clock.now();
    if (!pause?.hold || now >= deadline) return;
    const delay = backoffMs(attempt, options.baseDelayMs ?? 500, options.maxDelayMs ?? 5_000);
    await options.clock.sleep(Math.min(delay, deadline - now), options.shutdown);
  }
}
