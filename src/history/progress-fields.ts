import { type RunProgress } from '../signals/run-progress';

/** The record fields that make up a run's progress (written by progressFields, read by parseProgress). */
export const PROGRESS_FIELDS = [
  'plan',
  'stepsDone',
  'orders',
  'calls',
  'notes',
  'unresolved',
  'sent',
] as const;

/** How many exchange calls a record keeps in its timeline (the latest). */
const MAX_CALLS = 100;

/** A run's progress as record fields. An empty value clears a field: HSET cannot delete one. */
export function progressFields(progress: RunProgress): Record<string, string> {
  const fields: Record<string, string> = {
    stepsDone: String(progress.stepsDone),
    orders: JSON.stringify(progress.orders),
    calls: JSON.stringify(progress.calls.slice(-MAX_CALLS)),
    unresolved: progress.unresolved ? JSON.stringify(progress.unresolved) : '',
    sent: progress.sent ? JSON.stringify(progress.sent) : '',
  };
  if (progress.steps) fields.plan = JSON.stringify(progress.steps);
  if (progress.notes) fields.notes = JSON.stringify(progress.notes);
  return fields;
}

/** The progress held by record fields; absent or empty fields mean "none". */
export function parseProgress(h: Partial<Record<string, string>>): RunProgress {
  return {
    steps: h.plan ? JSON.parse(h.plan) : undefined,
    notes: h.notes ? JSON.parse(h.notes) : undefined,
    unresolved: h.unresolved ? JSON.parse(h.unresolved) : undefined,
    sent: h.sent ? JSON.parse(h.sent) : undefined,
    stepsDone: Number(h.stepsDone ?? 0),
    orders: h.orders ? JSON.parse(h.orders) : [],
    calls: h.calls ? JSON.parse(h.calls) : [],
  };
}
