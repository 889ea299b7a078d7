import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/keys';
import { SignalEnvelope } from '../signals/signal';
import { ExchangeCall, OrderRecord, SignalError, SignalRecord, SignalStatus } from '../signals/signal-record';

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
  }

  /**
   * Writes the record of a queued signal. `status` is only set if absent: a fast worker may already have
   * moved it on, and the intake must not set it back.
   */
  async recordQueued(signal: SignalEnvelope, queuedAt: number): Promise<void> {
    const key = this.keys.signal(signal.id);
    await this.redis
      .multi()
      .hset(key, this.baseFields(signal, queuedAt))
      .hsetnx(key, 'status', 'queued')
      .hsetnx(key, 'attempts', '0')
      .expire(key, this.retentionSeconds)
      .zadd(this.keys.signalIndex, signal.receivedAt, signal.id)
      .exec();
  }

  /** Marks a signal as being executed; also (re)writes the base fields in case the intake could not. */
  async markProcessing(signal: SignalEnvelope, startedAt: number): Promise<number> {
    const key = this.keys.signal(signal.id);
    const results = await this.redis
      .multi()
      .hset(key, { ...this.baseFields(signal), status: 'processing', startedAt: String(startedAt) })
      .hincrby(key, 'attempts', 1)
      .expire(key, this.retentionSeconds)
      .zadd(this.keys.signalIndex, signal.receivedAt, signal.id)
      .exec();
    return Number(results?.[1]?.[1] ?? 1);
  }

  /** Stores the orders and calls known so far (after each order, so that a crash loses none). */
  async saveProgress(
    signalId: string,
    progress: { orders: OrderRecord[]; calls: ExchangeCall[] },
  ): Promise<void> {
    await this.redis.hset(this.keys.signal(signalId), {
      orders: JSON.stringify(progress.orders),
      calls: JSON.stringify(progress.calls.slice(-100)),
    });
  }

  /** Ends a signal with a final status. */
  async finish(
    signalId: string,
    status: SignalStatus,
    outcome: { finishedAt: number; orders: OrderRecord[]; calls: ExchangeCall[]; error?: SignalError },
  ): Promise<void> {
    const fields: Record<string, string> = {
      status,
      finishedAt: String(outcome.finishedAt),
      orders: JSON.stringify(outcome.orders),
      calls: JSON.stringify(outcome.calls.slice(-100)),
    };
    if (outcome.error) fields.error = JSON.stringify(outcome.error);
    await this.redis.hset(this.keys.signal(signalId), fields);
  }

  async get(signalId: string): Promise<SignalRecord | undefined> {
    const h = await this.redis.hgetall(this.keys.signal(signalId));
    if (!h.id) return undefined;
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
      orders: h.orders ? JSON.parse(h.orders) : [],
      calls: h.calls ? JSON.parse(h.calls) : [],
      error: h.error ? JSON.parse(h.error) : undefined,
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
