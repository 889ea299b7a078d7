import { type SignalEnvelope } from '../signals/signal';

/**
 * Why a signal is too old to start trading, if it is: older than `SIGNAL_MAX_AGE_SECONDS` since receipt,
 * or later than its own `maxLagSeconds` after its timestamp. Pure.
 */
export function expiryReason(signal: SignalEnvelope, now: number, maxAgeSeconds: number): string | undefined {
  const { alert, receivedAt } = signal;
  const ageSeconds = (now - receivedAt) / 1000;
  if (ageSeconds > maxAgeSeconds) {
    return `received ${ageSeconds.toFixed(1)} s ago, more than SIGNAL_MAX_AGE_SECONDS (${maxAgeSeconds})`;
  }
  if (alert.maxLagSeconds !== undefined) {
    const lag = (now - (alert.timestamp ?? receivedAt)) / 1000;
    if (lag > alert.maxLagSeconds) {
      return `${lag.toFixed(1)} s after its timestamp, more than maxLagSeconds (${alert.maxLagSeconds})`;
    }
  }
  return undefined;
}

/** The moment after which the signal may no longer start trading (the earlier of both limits). */
export function expiresAt(signal: SignalEnvelope, maxAgeSeconds: number): number {
  const byAge = signal.receivedAt + maxAgeSeconds * 1000;
  const { maxLagSeconds, timestamp } = signal.alert;
  if (maxLagSeconds === undefined) return byAge;
  return Math.min(byAge, (timestamp ?? signal.receivedAt) + maxLagSeconds * 1000);
}
