import { type ExecutionHistory, type RunOutcome } from '../../../src/execution/execution-deps';
import { type RunProgress } from '../../../src/signals/run-progress';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { type SignalError, type SignalStatus } from '../../../src/signals/signal-record';
import { FINAL_STATUSES } from '../../../src/signals/signal-record';

/** One signal as the in-memory history holds it. */
export interface MemoryRecord {
  status: SignalStatus;
  attempts: number;
  /** The progress as last saved (a copy: later changes of the run's object do not leak in). */
  progress: RunProgress;
  /** Every saved progress, in order. */
  saves: RunProgress[];
  error?: SignalError;
  outcome?: RunOutcome;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** An {@link ExecutionHistory} in memory, with the same rules as the Redis store (final records stay final). */
export class MemoryHistory implements ExecutionHistory {
  readonly records = new Map<string, MemoryRecord>();

  record(signalId: string): MemoryRecord {
    const record = this.records.get(signalId);
    if (!record) throw new Error(`no record ${signalId}`);
    return record;
  }

  async start(signal: SignalEnvelope) {
    const record = this.records.get(signal.id) ?? {
      status: 'queued' as SignalStatus,
      attempts: 0,
      progress: { stepsDone: 0, orders: [], calls: [] },
      saves: [],
    };
    this.records.set(signal.id, record);
    if (FINAL_STATUSES.has(record.status)) {
      return {
        state: 'final' as const,
        status: record.status,
        ...(record.error ? { error: record.error } : {}),
      };
    }
    record.status = 'processing';
    record.attempts += 1;
    return { state: 'started' as const, attempt: record.attempts, progress: copy(record.progress) };
  }

  async saveProgress(signalId: string, progress: RunProgress): Promise<void> {
    const record = this.record(signalId);
    if (record.status !== 'processing') throw new Error(`signal ${signalId} is no longer processing`);
    record.progress = copy(progress);
    record.saves.push(copy(progress));
  }

  async finish(signalId: string, outcome: RunOutcome): Promise<boolean> {
    const record = this.record(signalId);
    if (record.status !== 'processing') return false;
    record.status = outcome.status;
    record.progress = copy(outcome.progress);
    record.error = outcome.error;
    record.outcome = copy(outcome);
    return true;
  }

  /** Simulates a crash: the record stays `processing`, so the next start is a re-run. */
  crash(signalId: string): void {
    this.record(signalId).status = 'processing';
  }
}
