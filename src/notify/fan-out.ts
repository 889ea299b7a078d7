import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import { type EventLog } from '../events/event-log';
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
    let cursor = await redis.get(keys.cursor);
    if (cursor === null) {
      // The first start delivers from now on, not the whole history (replay is for the past).
      cursor = await events.head();
      await redis.set(keys.cursor, cursor);
    }
    let created = 0;
    const batch = await events.readAfter(cursor, 200);
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
        await redis.set(keys.cursor, event.position);
      }
    }
    await this.options.deliveries.removeBefore(this.now() - (this.options.retentionMs ?? 72 * 3_600_000));
    return created;
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
