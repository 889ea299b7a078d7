import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import { type SignalEnvelope } from '../signals/signal';
import { type RunProgress } from '../signals/run-progress';
import { type SignalError, type SignalRecord, type SignalStatus } from '../signals/signal-record';

/** ARGV: retentionSeconds, receivedAt, signalId, then field/value pairs. */
const RECORD_QUEUED = defineLuaScript<number>(
  'thRecordQueued',
  2,
  `
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HSETNX', KEYS[1], 'status', 'queued')
redis.call('HSETNX', KEYS[1], 'attempts', '0')
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`,
);

const FAIL_IF_OPEN = defineLuaScript<number>(
  'thFailIfOpen',
  1,
  `
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' or status == 'processing' then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[1], 'finishedAt', ARGV[2])
  return 1
end
return 0`,
);

/**
 * Signal records in Redis: one hash per signal (fields update atomically, so intake and worker never
 * overwrite each other's fields) plus a sorted index by receipt time. Records expire after the retention.
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
   * calls), marks it `processing`, counts the attempt, and (re)writes the base fields in case the intake
   * could not. Returns the attempt number (1 on the first run) and the earlier progress.
   */
  async start(
    signal: SignalEnvelope,
    startedAt: number,
  ): Promise<{ attempt: number; progress: RunProgress }> {
    const key = this.keys.signal(signal.id);
    const results = await this.redis
      .multi()
      .hmget(key, ...PROGRESS_FIELDS)
      .hset(key, { ...this.baseFields(signal), status: 'processing', startedAt: String(startedAt) })
      .hincrby(key, 'attempts', 1)
      .expire(key, this.retentionSeconds)
      .zadd(this.keys.signalIndex, signal.receivedAt, signal.id)
      .exec();
    if (!results) throw new Error(`starting signal ${signal.id}: transaction aborted`);
    for (const [error] of results) if (error) throw error;
    const stored = results[0][1] as Array<string | null>;
    const fields = Object.fromEntries(PROGRESS_FIELDS.map((name, i) => [name, stored[i] ?? undefined]));
    return { attempt: Number(results[2][1]), progress: parseProgress(fields) };
  }

  /** Persists progress after every step, so that a crash loses no order and a re-run repeats no step. */
  async saveProgress(signalId: string, progress: RunProgress): Promise<void> {
    await this.redis.hset(this.keys.signal(signalId), this.progressFields(progress));
  }

  /** Ends a signal with a final status. */
  async finish(
    signalId: string,
    status: SignalStatus,
    outcome: { finishedAt: number; progress: RunProgress; error?: SignalError },
  ): Promise<void> {
    const fields: Record<string, string> = {
      ...this.progressFields(outcome.progress),
      status,
      finishedAt: String(outcome.finishedAt),
    };
    if (outcome.error) fields.error = JSON.stringify(outcome.error);
    await this.redis.hset(this.keys.signal(signalId), fields);
  }

  private progressFields(progress: RunProgress): Record<string, string> {
    const fields: Record<string, string> = {
      stepsDone: String(progress.stepsDone),
      orders: JSON.stringify(progress.orders),
      calls: JSON.stringify(progress.calls.slice(-100)),
    };
    if (progress.steps) fields.plan = JSON.stringify(progress.steps);
    if (progress.notes) fields.notes = JSON.stringify(progress.notes);
    // An empty value clears it: HSET cannot delete a field, and '' parses as "none" on load.
    fields.unresolved = progress.unresolved ? JSON.stringify(progress.unresolved) : '';
    return fields;
  }

  /**
   * Ends a signal `failed` unless it already has a final status: for jobs BullMQ gave up on without our
   * processor finishing them. One script, so it cannot overwrite a status a worker wrote meanwhile.
   */
  async failIfOpen(signalId: string, error: SignalError, finishedAt: number): Promise<boolean> {
    const changed = await FAIL_IF_OPEN.run(
      this.redis,
      [this.keys.signal(signalId)],
      [JSON.stringify(error), String(finishedAt)],
    );
    return changed === 1;
  }

  async get(signalId: string): Promise<SignalRecord | undefined> {
    const h = await this.redis.hgetall(this.keys.signal(signalId));
    if (!h.id) return undefined;
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

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** The record fields that make up a run's progress (written by progressFields, read by parseProgress). */
const PROGRESS_FIELDS = ['plan', 'stepsDone', 'orders', 'calls', 'notes', 'unresolved'] as const;

function parseProgress(h: Partial<Record<string, string>>): RunProgress {
  return {
    steps: h.plan ? JSON.parse(h.plan) : undefined,
    notes: h.notes ? JSON.parse(h.notes) : undefined,
    // '' means cleared: HSET cannot delete a field.
    unresolved: h.unresolved ? JSON.parse(h.unresolved) : undefined,
    stepsDone: Number(h.stepsDone ?? 0),
    orders: h.orders ? JSON.parse(h.orders) : [],
    calls: h.calls ? JSON.parse(h.calls) : [],
  };
}
