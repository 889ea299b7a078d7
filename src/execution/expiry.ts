import { type SignalEnvelope } from '../signals/signal';

/**
 * Why a signal is too old to start trading, if it is: older than `SIGNAL_MAX_AGE_SECONDS` since receipt,
 * or later than its own `maxLagSeconds` after its timestamp (both from the retry, for a re-queued signal). Pure.
 */
export function expiryReason(signal: SignalEnvelope, now: number, maxAgeSeconds: number): string | undefined {
  const { alert } = signal;
  const receivedAt = signal.retriedAt ?? signal.receivedAt;
  const ageSeconds = (now - receivedAt) / 1000;
  if (ageSeconds > maxAgeSeconds) {
    return `received ${ageSeconds.toFixed(1)} s ago, more than SIGNAL_MAX_AGE_SECONDS (${maxAgeSeconds})`;
  }
  if (alert.maxLagSeconds !== undefined) {
    const lag = (now - (signal.retriedAt ?? alert.timestamp ?? receivedAt)) / 1000;
    if (lag > alert.maxLagSeconds) {
      return `${lag.toFixed(1)} s after its timestamp, more than maxLagSeconds (${alert.maxLagSeconds})`;
    }
  }
  return undefined;
}

/** The moment after which the signal may no longer start trading (the earlier of both limits). */
export function expiresAt(signal: SignalEnvelope, maxAgeSeconds: number): number {
  const receivedAt = signal.retriedAt ?? signal.receivedAt;
  const byAge = receivedAt + maxAgeSeconds * 1000;
  const { maxLagSeconds, timestamp } = signal.alert;
  if (maxLagSeconds === undefined) return byAge;
  return Math.min(byAge, (signal.retriedAt ?? timestamp ?? receivedAt) + maxLagSeconds * 1000);
}
