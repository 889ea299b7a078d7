import { type EventLog, newEvent } from '../events/event-log';
import { type Delivery, freshDeliveryId, newDelivery } from './delivery';
import { type AttemptScheduler, type DeliveryProcessor } from './delivery-processor';
import { type DeliveryStore } from './delivery-store';
import { type Subscription, wantsEvent } from './subscription';

export interface DeliveryActionsOptions {
  processor: DeliveryProcessor;
  deliveries: DeliveryStore;
  scheduler: AttemptScheduler;
  events: EventLog;
}

/** Most events one replay re-sends (the log keeps more; a narrower `since` reaches the rest). */
export const REPLAY_LIMIT = 10_000;

/** What the API can ask of deliveries: a test ping, a replay, a manual retry. */
export class DeliveryActions {
  constructor(private readonly options: DeliveryActionsOptions) {}

  /** Sends a `ping` now, records it as a delivery with its one attempt, and returns it. */
  async ping(subscription: Subscription, now: number): Promise<Delivery> {
    const event = newEvent('ping', { subscriptionId: subscription.id }, now);
    const outcome = await this.options.processor.send(subscription, event);
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const delivery: Delivery = {
      ...newDelivery({ id: freshDeliveryId(), subscriptionId: subscription.id, event, now }),
      status: ok ? 'succeeded' : 'failed',
      nextAttemptAt: null,
      attempts: [
        {
          at: now,
          statusCode: outcome.statusCode,
          durationMs: outcome.durationMs,
          response: outcome.response,
          error: outcome.error ?? (ok ? null : `HTTP ${outcome.statusCode}`),
          trigger: 'test',
        },
      ],
    };
    await this.options.deliveries.create(delivery);
    return delivery;
  }

  /**
   * Re-sends every logged event since `sinceMs` that the subscription wants (as it is now), as new
   * deliveries with the events' own ids (`webhook-id`): a receiver that deduplicates ignores what it had.
   */
  async replay(subscription: Subscription, sinceMs: number, now: number): Promise<number> {
    let queued = 0;
    let events = await this.options.events.readSince(sinceMs, 1000);
    while (events.length > 0 && queued < REPLAY_LIMIT) {
      for (const logged of events) {
        const event = { id: logged.id, type: logged.type, timestamp: logged.timestamp, data: logged.data };
        if (!wantsEvent(subscription, event)) continue;
        const delivery = newDelivery({
          id: freshDeliveryId(),
          subscriptionId: subscription.id,
          event,
          now,
          replay: true,
        });
        await this.options.deliveries.create(delivery);
        await this.options.scheduler.schedule({ deliveryId: delivery.id, attempt: 1 }, 0);
        queued++;
      }
      events = await this.options.events.readAfter(events[events.length - 1].position, 1000);
    }
    return queued;
  }

  /** Queues one more attempt of a delivery now, whatever its status (a single try; the schedule is untouched). */
  async retry(delivery: Delivery): Promise<void> {
    await this.options.scheduler.schedule(
      { deliveryId: delivery.id, attempt: delivery.scheduled, manual: true },
      0,
    );
  }
}
