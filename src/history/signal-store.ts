import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalError, type SignalRecord, type SignalStatus } from '../signals/signal-record';
import { isResting, nextStatusAllowed } from '../signals/signal-status';
import { PROGRESS_FIELDS, parseProgress, progressFields } from './progress-fields';
import { RECORD_QUEUED, SAVE_PROGRESS, START_RUN, TRANSITION } from './signal-scripts';
import { type WatchItem } from './watch-item';

/** A run's end, as {@link SignalStore.finish} writes it. */
export interface FinishedRun {
  status: SignalStatus;
  finishedAt: number;
  progress: RunProgress;
  error?: SignalError;
  /** Hands the signal to the order watch in the same step, first check at `firstCheckAt`. */
  watch?: { firstCheckAt: number };
}

/** What the order watch writes about a signal it checked (see {@link SignalStore.update}). */
export interface WatchUpdate {
  /** The status the watch read: the update applies only if the record still has it. */
  from: SignalStatus;
  to: SignalStatus;
  progress: RunProgress;
  /** The record's error after the update; `null` clears it. */
  error?: SignalError | null;
  /** When the status became final (set when the watch settles the signal). */
  finishedAt?: number;
}

/** The outcome of a start: the run's attempt and earlier progress, or the final status it already has. */
export type StartResult =
  | { state: 'started'; attempt: number; progress: RunProgress }
  | { state: 'final'; status: SignalStatus; error?: SignalError };

/**
 * Signal records in Redis: one hash per signal (fields update atomically, so intake and worker never
 * overwrite each other's fields) plus a sorted index by receipt time. Records expire after the retention.
 *
 * EVERY status change goes through this class, each one a compare-and-set script ({@link transition}), so
 * that a final record never moves backwards and the events of a transition can hang on one place.
 */
export class SignalStore {
  private readonly retentionSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    retentionDays: number,
  ) {
    this.retentionSeconds = retentionDays * 86400;
    // Defined up front: ioredis must know a command before the first pipeline that could carry it.
    RECORD_QUEUED.install(redis);
  }

  /**
   * Writes the record of a queued signal. `status` is only set if absent: a fast worker may already have
   * moved it on, and the intake must not set it back. One script rather than MULTI: it is on the hot path.
   */
  async recordQueued(signal: SignalEnvelope, queuedAt: number): Promise<void> {
    const fields = Object.entries(this.baseFields(signal, queuedAt)).flat();
    await RECORD_QUEUED.run(
      this.redis,
      [this.keys.signal(signal.id), this.keys.signalIndex],
      [this.retentionSeconds, signal.receivedAt, signal.id, ...fields],
    );
  }

  /**
   * Starts a run of a signal in one round trip: reads what earlier runs did (plan, steps done, orders,
   * sends), marks it `processing`, counts the attempt, and (re)writes the base fields in case the intake
   * could not. A record that already has a final status is left untouched and its status returned.
   */
  async start(signal: SignalEnvelope, startedAt: number): Promise<StartResult> {
    const fields = Object.entries(this.baseFields(signal)).flat();
    const result = await START_RUN.run(
      this.redis,
      [this.keys.signal(signal.id), this.keys.signalIndex],
      [this.retentionSeconds, signal.receivedAt, signal.id, startedAt, ...fields],
    );
    if (result[0] === 'final') {
      const error = result[2] ? (JSON.parse(String(result[2])) as SignalError) : undefined;
      return { state: 'final', status: result[1] as SignalStatus, ...(error ? { error } : {}) };
    }
    const stored = Object.fromEntries(
      PROGRESS_FIELDS.map((name, i) => [name, result[i + 2] === null ? undefined : String(result[i + 2])]),
    );
    return { state: 'started', attempt: Number(result[1]), progress: parseProgress(stored) };
  }

  /**
   * Persists progress after every step (and before every order is sent), so that a crash loses no order
   * and a re-run repeats no step. Rejects when the record is no longer `processing`: another party (BullMQ
   * giving up on a stalled job) ended it, and this run must not go on trading.
   */
  async saveProgress(signalId: string, progress: RunProgress): Promise<void> {
    const fields = Object.entries(progressFields(progress)).flat();
    const saved = await SAVE_PROGRESS.run(this.redis, [this.keys.signal(signalId)], fields);
    if (saved !== 1) throw new Error(`signal ${signalId} is no longer processing; this run stops`);
  }

  /** Ends a run with a final status, handing it to the order watch when asked. `false` if not processing. */
  async finish(signalId: string, run: FinishedRun): Promise<boolean> {
    const fields: Record<string, string> = {
      ...progressFields(run.progress),
      finishedAt: String(run.finishedAt),
      error: run.error ? JSON.stringify(run.error) : '',
    };
    const watch = run.watch
      ? { at: run.watch.firstCheckAt, item: { since: run.finishedAt, checks: 0 } }
      : undefined;
    return this.transition(signalId, { from: ['processing'], to: run.status, fields, watch });
  }

  /**
   * Writes what the order watch found: new fills, an adopted or proven-absent order, the status they give.
   * Applies only if the record still has the status the watch read and the move is allowed; `false` if not.
   */
  async update(signalId: string, update: WatchUpdate): Promise<boolean> {
    if (!nextStatusAllowed(update.from, update.to)) {
      throw new Error(
        `signal ${signalId}: ${update.from} → ${update.to} would move a final record backwards`,
      );
    }
    const fields: Record<string, string> = progressFields(update.progress);
    if (update.error !== undefined) fields.error = update.error === null ? '' : JSON.stringify(update.error);
    if (update.finishedAt !== undefined) fields.finishedAt = String(update.finishedAt);
    return this.transition(signalId, { from: [update.from], to: update.to, fields });
  }

  /**
   * Ends a signal `failed` unless it already has a final status: for jobs BullMQ gave up on without our
   * processor finishing them. Cannot overwrite a status a worker wrote meanwhile. An order the dead runs left
   * resting, or of unknown fate, is handed to the order watch in the same step.
   */
  async failIfOpen(signalId: string, error: SignalError, finishedAt: number): Promise<boolean> {
    // A run that died with an order of unknown fate, or resting, leaves it to the order watch.
    const [unresolved, orders] = await this.redis.hmget(this.keys.signal(signalId), 'unresolved', 'orders');
    const progress = parseProgress({ unresolved: unresolved ?? undefined, orders: orders ?? undefined });
    const watched = progress.unresolved !== undefined || progress.orders.some(isResting);
    return this.transition(signalId, {
      from: ['queued', 'processing'],
      to: 'failed',
      fields: { error: JSON.stringify(error), finishedAt: String(finishedAt) },
      ...(watched ? { watch: { at: finishedAt, item: { since: finishedAt, checks: 0 } } } : {}),
    });
  }

  async get(signalId: string): Promise<SignalRecord | undefined> {
    const h = await this.redis.hgetall(this.keys.signal(signalId));
    if (!h.id) return undefined;
    return toRecord(h);
  }

  /** A record with the progress behind it (plan, sends, unresolved order), for the order watch. */
  async getWithProgress(
    signalId: string,
  ): Promise<{ record: SignalRecord; progress: RunProgress } | undefined> {
    const h = await this.redis.hgetall(this.keys.signal(signalId));
    if (!h.id) return undefined;
    return { record: toRecord(h), progress: parseProgress(h) };
  }

  /** The one place a status changes (see the class comment). */
  private async transition(
    signalId: string,
    change: {
      from: SignalStatus[];
      to: SignalStatus;
      fields: Record<string, string>;
      watch?: { at: number; item: WatchItem };
    },
  ): Promise<boolean> {
    const pairs = Object.entries(change.fields);
    const args: (string | number)[] = [change.from.join(','), change.to, pairs.length, ...pairs.flat()];
    if (change.watch) args.push(change.watch.at, JSON.stringify(change.watch.item));
    const result = await TRANSITION.run(
      this.redis,
      [this.keys.signal(signalId), this.keys.watch, this.keys.watchItems],
      args,
    );
    return result === 'ok';
  }

  private baseFields(signal: SignalEnvelope, queuedAt?: number): Record<string, string> {
    const fields: Record<string, string> = {
      id: signal.id,
      account: signal.alert.account,
      symbol: signal.alert.symbol,
      alert: JSON.stringify(signal.alert),
      auth: signal.auth,
      requestId: signal.requestId,
      receivedAt: String(signal.receivedAt),
    };
    if (queuedAt !== undefined) fields.queuedAt = String(queuedAt);
    return fields;
  }
}

function toRecord(h: Record<string, string>): SignalRecord {
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
  return value === undefined ? undefined : Number(value);
}
