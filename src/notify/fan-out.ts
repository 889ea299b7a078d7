import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import { type EventLog } from '../events/event-log';
import { type LoggedEvent } from '../events/event-types';
import { type Logger } from '../observability/logger';
import { deliveryId, newDelivery } from './delivery';
import { type AttemptScheduler } from './delivery-processor';
import { type DeliveryStore } from './delivery-store';
import { wantsEvent } from './subscription';
import { type SubscriptionStore } from './subscription-store';

export interface FanOutOptions {
  redis: Redis;
  events: EventLog;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  scheduler: AttemptScheduler;
  logger: Logger;
  keys: { cursor: string; lease: string };
  /** How often the log is read. @defaultValue 250 */
  pollMs?: number;
  /** How long the active consumer's lease lasts without renewal. @defaultValue 15000 */
  leaseMs?: number;
  /** `DELIVERY_RETENTION_HOURS` in ms. @defaultValue 72 h */
  retentionMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

// Take or renew the lease: only its holder reads the log, so every event is fanned out by one worker.
const LEASE_LUA = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/**
 * Turns events of the log into deliveries: for each event, one delivery per matching active subscription,
 * and its first attempt on the notifications queue. One worker at a time does this (a lease in Redis,
 * taken over within `leaseMs` when its holder dies); its position in the log is kept in Redis and moved
 * only after an event's deliveries exist, and a delivery's id derives from (subscription, event), so an
 * event read twice after a crash is delivered once. Also removes deliveries older than the retention, a
 * batch per round.
 */
export class FanOut {
  private readonly id = randomUUID();
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: FanOutOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.round()
        .then(
          () => undefined,
          (error: Error) => {
            this.options.logger.warn('notification fan-out round failed', { error: error.message });
          },
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs ?? 250);
        });
    };
    loop();
  }

  /** One round: lease, read, fan out, move the cursor, clean up. Returns the deliveries created. */
  async round(): Promise<number> {
    const { redis, keys, events } = this.options;
    const held = await redis.eval(LEASE_LUA, 1, keys.lease, this.id, String(this.options.leaseMs ?? 15_000));
    if (held !== 1) return 0;
    const seqKey = `${keys.cursor}:seq`;
    let [cursor, stored] = await redis.mget(keys.cursor, seqKey);
    if (cursor === null) {
      // The first start delivers from now on, not the whole history (replay is for the past).
      const log = await events.info();
      [cursor, stored] = [log.last, String(log.added)];
      await redis.mset(keys.cursor, cursor, seqKey, stored);
    }
    let created = 0;
    const batch = await events.readAfter(cursor, 200);
    let seq = await this.sequenceBefore(batch, cursor, stored, seqKey);
    if (batch.length > 0) {
      const subscriptions = await this.options.subscriptions.all();
      for (const event of batch) {
        for (const subscription of subscriptions.filter((s) => wantsEvent(s, event))) {
          const delivery = newDelivery({
            id: deliveryId(subscription.id, event.id),
            subscriptionId: subscription.id,
            event: { id: event.id, type: event.type, timestamp: event.timestamp, data: event.data },
            now: this.now(),
          });
          if (await this.options.deliveries.create(delivery)) created++;
          // Also when it existed: the first attempt may be what a crash left out (the job id dedupes).
          await this.options.scheduler.schedule({ deliveryId: delivery.id, attempt: 1 }, 0);
        }
        if (seq === undefined) await redis.set(keys.cursor, event.position);
        else await redis.mset(keys.cursor, event.position, seqKey, (seq += 1));
      }
    }
    await this.options.deliveries.removeBefore(this.now() - (this.options.retentionMs ?? 72 * 3_600_000));
    return created;
  }

  /**
   * Which event of the log, counted from its creation, the cursor stands on, after checking that nothing was
   * lost. The log is trimmed (by length on every append, by age in retention) whether or not this fan-out has
   * read it; if it was trimmed past unread events, nothing can deliver them any more (a replay reads the same
   * log), so they are counted and reported once, with their time window, as an error (Sentry, when set up).
   * Counting uses {@link EventLog.info}. A cursor without a count (set by an older version) gets one when the
   * fan-out has caught up with the log. `stored` is the count read with the cursor.
   */
  private async sequenceBefore(
    batch: LoggedEvent[],
    cursor: string,
    stored: string | null,
    seqKey: string,
  ): Promise<number | undefined> {
    if (stored === null) {
      if (batch.length > 0) return undefined;
      const log = await this.options.events.info();
      if (log.last === cursor) await this.options.redis.set(seqKey, log.added);
      return undefined;
    }
    const seq = Number(stored);
    if (batch.length === 0) return seq;
    const log = await this.options.events.info();
    if (seq > log.added) {
      // The log was deleted and begun anew under the cursor: the count starts again once caught up.
      await this.options.redis.del(seqKey);
      return undefined;
    }
    // Everything up to the oldest event left was trimmed; what was after the cursor among it is lost.
    const lost = log.added - log.length - seq;
    if (lost <= 0) return seq;
    this.options.logger.error(
      'notification events lost: the event log was trimmed before they were fanned out',
      {
        lost,
        after: cursor,
        before: batch[0].position,
        from: positionTime(cursor),
        to: positionTime(batch[0].position),
      },
    );
    return seq + lost;
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.options.redis
      .eval(
        `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
        1,
        this.options.keys.lease,
        this.id,
      )
      .catch(() => undefined);
  }
}

/** The time of a stream position (`<ms>-<seq>`), ISO. */
function positionTime(position: string): string {
  return new Date(Number(position.split('-')[0])).toISOString();
}
