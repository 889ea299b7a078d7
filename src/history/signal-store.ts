import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import { newEvent } from '../events/event-log';
import { type RedisKeys } from '../redis/keys';
import { type RunProgress } from '../signals/run-progress';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalError, type SignalRecord, type SignalStatus } from '../signals/signal-record';
import { isResting, nextStatusAllowed } from '../signals/signal-status';
import { DAY_MS } from '../stats/stats-dimensions';
import { PROGRESS_FIELDS, parseProgress, progressFields } from './progress-fields';
import { baseFields, toRecord } from './signal-record-fields';
import { fieldPairs } from '../util/objects';
import { RECORD_QUEUED, SAVE_PROGRESS, START_RUN, TRANSITION } from './signal-scripts';
import type {
  FinishedRun,
  RequeueResult,
  SignalStoreOptions,
  StartResult,
  WatchUpdate,
} from './signal-store-types';
import { type WatchItem } from './watch-item';

export type * from './signal-store-types';

/** Days a record's hash outlives the retention, for the sweep (src/history/retention.ts) to find it. */
const RECORD_TTL_GRACE_DAYS = 2;

/**
 * Signal records in Redis: one hash per signal (fields update atomically, so intake and worker never
 * overwrite each other's fields) plus a sorted index by receipt time. Records expire after the retention.
 *
 * EVERY status change goes through this class, each one a compare-and-set script ({@link transition}), so
 * that a final record never moves backwards and the events of a transition can hang on one place. The same
 * script keeps the execution statistics (src/stats), so a change and its statistics cost one round trip and
 * a crash cannot leave one without the other.
 */
export class SignalStore {
  private readonly retentionSeconds: number;
  /** Hour and day statistics buckets live as long as the records. */
  private readonly statsRetentionMs: number;
  private readonly now: () => number;
  private readonly eventLogMaxLength: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    retentionDays: number,
    private readonly options: SignalStoreOptions = {},
  ) {
    // The worker's retention sweep removes records with their index entries; the hash's own expiry is only
    // a safety net, later, so that the sweep still finds what to remove from the indexes.
    this.retentionSeconds = (retentionDays + RECORD_TTL_GRACE_DAYS) * 86400;
    this.statsRetentionMs = retentionDays * DAY_MS;
    this.now = options.now ?? Date.now;
    this.eventLogMaxLength = options.eventLogMaxLength ?? 200_000;
    // Defined up front: ioredis must know a command before the first pipeline that could carry it.
    RECORD_QUEUED.install(redis);
  }

  /**
   * Writes the record of a queued signal. `status` is only set if absent: a fast worker may already have
   * moved it on, and the intake must not set it back. One script rather than MULTI: it is on the hot path.
   */
  async recordQueued(signal: SignalEnvelope, queuedAt: number): Promise<void> {
    const fields = fieldPairs(baseFields(signal, queuedAt));
    const event = newEvent('signal.queued', {}, queuedAt);
    await RECORD_QUEUED.run(
      this.redis,
      [this.keys.signal(signal.id), this.keys.signalIndex, this.keys.events],
      [
        this.retentionSeconds,
        signal.receivedAt,
        signal.id,
        this.keys.signalIndexPrefix,
        event.id,
        event.timestamp,
        this.eventLogMaxLength,
        ...fields,
      ],
    );
  }

  /**
   * Starts a run of a signal in one round trip: reads what earlier runs did (plan, steps done, orders,
   * sends), marks it `processing`, counts the attempt, and (re)writes the base fields in case the intake
   * could not. A record that already has a final status is left untouched and its status returned.
   */
  async start(signal: SignalEnvelope, startedAt: number): Promise<StartResult> {
    const fields = fieldPairs(baseFields(signal));
    const result = await START_RUN.run(
      this.redis,
      [this.keys.signal(signal.id), this.keys.signalIndex],
      [
        this.retentionSeconds,
        signal.receivedAt,
        signal.id,
        startedAt,
        this.keys.signalIndexPrefix,
        // Fresh per start: a resend of this very call (lost answer) finds it and counts no second attempt.
        randomUUID(),
        ...fields,
      ],
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
    const fields = fieldPairs(progressFields(progress));
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
    return this.transition(signalId, {
      from: ['processing'],
      to: run.status,
      fields,
      watch,
      at: run.finishedAt,
    });
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
    return this.transition(signalId, { from: [update.from], to: update.to, fields, at: update.finishedAt });
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
      at: finishedAt,
      ...(watched ? { watch: { at: finishedAt, item: { since: finishedAt, checks: 0 } } } : {}),
    });
  }

  /**
   * Re-queues a `failed` or `expired` signal (an operator's retry) as one compare-and-set, so that two
   * retries cannot both win. Its progress stays: the next run is a re-run, which looks every order up by its
   * client id before sending it, so an order an earlier attempt placed is adopted, never placed again.
   * Returns the envelope to enqueue, or why not.
   */
  async requeue(signalId: string, at: number): Promise<RequeueResult> {
    const h = await this.redis.hgetall(this.keys.signal(signalId));
    if (!h.id) return { state: 'not_found' };
    const queued = await this.transition(signalId, {
      from: ['failed', 'expired'],
      to: 'queued',
      fields: { error: '', finishedAt: '', retriedAt: String(at), deadLetter: '' },
      at,
    });
    if (!queued) {
      const status = (await this.redis.hget(this.keys.signal(signalId), 'status')) as SignalStatus;
      return { state: 'conflict', status };
    }
    const signal: SignalEnvelope = {
      id: h.id,
      alert: JSON.parse(h.alert),
      auth: h.auth as SignalEnvelope['auth'],
      requestId: h.requestId,
      receivedAt: Number(h.receivedAt),
      retriedAt: at,
    };
    return { state: 'queued', signal };
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
      /** When the change happened (its event's time, the dead-letter position). @defaultValue now */
      at?: number;
    },
  ): Promise<boolean> {
    const pairs = Object.entries(change.fields);
    const at = change.at ?? this.now();
    const event = newEvent('signal.queued', {}, at);
    const unknown = newEvent('order.state_unknown', {}, at);
    const args: (string | number)[] = [
      change.from.join(','),
      change.to,
      this.keys.signalIndexPrefix,
      event.id,
      unknown.id,
      event.timestamp,
      at,
      this.eventLogMaxLength,
      this.keys.stats,
      this.now(),
      this.statsRetentionMs,
      pairs.length,
      ...pairs.flat(),
    ];
    if (change.watch) args.push(change.watch.at, JSON.stringify(change.watch.item));
    const result = await TRANSITION.run(
      this.redis,
      [
        this.keys.signal(signalId),
        this.keys.watch,
        this.keys.watchItems,
        this.keys.events,
        this.keys.deadLetter,
        this.keys.deadLetterHandled,
      ],
      args,
    );
    if (result.startsWith('ok:')) {
      // The status changed; only the statistics could not follow (they are secondary).
      this.options.logger?.warn('statistics not updated', {
        signalId,
        status: change.to,
        error: result.slice(3),
      });
    }
    return result === 'ok' || result.startsWith('ok:');
  }
}
