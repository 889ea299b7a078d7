import { symbolKey } from '../queue/partitions';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalRecord, type SignalStatus } from '../signals/signal-record';
import { strategyOf } from '../signals/strategy';
import { parseProgress } from './progress-fields';

/** A signal record's hash fields: written from the envelope, read back as a {@link SignalRecord}. */

/** The fields every write of a record (re)sets; `queuedAt` when the intake writes it. */
export function baseFields(signal: SignalEnvelope, queuedAt?: number): Record<string, string> {
  const fields: Record<string, string> = {
    id: signal.id,
    account: signal.alert.account,
    symbol: signal.alert.symbol,
    alert: JSON.stringify(signal.alert),
    auth: signal.auth,
    requestId: signal.requestId,
    receivedAt: String(signal.receivedAt),
    // Indexed and listed: derived once here, so that scripts need not parse the alert.
    symbolKey: symbolKey(signal.alert.symbol),
    strategy: strategyOf(signal.alert),
    action: signal.alert.action ?? signal.alert.sentiment ?? '',
  };
  if (queuedAt !== undefined) fields.queuedAt = String(queuedAt);
  return fields;
}

export function toRecord(h: Record<string, string>): SignalRecord {
  const progress = parseProgress(h);
  return {
    id: h.id,
    status: h.status as SignalStatus,
    account: h.account,
    symbol: h.symbol,
    alert: JSON.parse(h.alert),
    auth: h.auth as SignalRecord['auth'],
    requestId: h.requestId,
    receivedAt: Number(h.receivedAt),
    queuedAt: optionalNumber(h.queuedAt),
    startedAt: optionalNumber(h.startedAt),
    finishedAt: optionalNumber(h.finishedAt),
    attempts: Number(h.attempts ?? 0),
    orders: progress.orders,
    calls: progress.calls,
    error: h.error ? JSON.parse(h.error) : undefined,
    notes: progress.notes,
  };
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}
