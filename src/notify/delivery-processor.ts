import { type EventLog, newEvent } from '../events/event-log';
import { type TradehookEvent } from '../events/event-types';
import { type Logger } from '../observability/logger';
import { type Attempt, type Delivery } from './delivery';
import { buildDeliveryRequest } from './delivery-request';
import { type DeliveryStore } from './delivery-store';
import { type AttemptOutcome } from './notify-metrics';
import { RETRY_SCHEDULE_MS, nextAttemptDelay } from './retry-schedule';
import { type HttpOutcome, type SafeHttp } from './safe-http';
import { type SecretMaterial } from './secret-material';
import { type SecretStore } from './secret-store';
import { type DisabledReason, type Subscription } from './subscription';
import { type SubscriptionStore } from './subscription-store';

/** A subscription whose every attempt failed for this long is disabled (and `subscription.disabled` emitted). */
export const FAILING_DISABLE_MS = 5 * 86_400_000;

/**
 * A failure this long after the previous one starts the failing run anew: the receiver was not tried in
 * between (no events), so it was not failing then. Longer than the schedule's longest wait (10 h + 20 %).
 */
export const FAILING_GAP_MS = 86_400_000;

/** Puts an attempt of a delivery on the notifications queue (a BullMQ delayed job in production). */
export interface AttemptScheduler {
  schedule(job: AttemptJob, delayMs: number): Promise<void>;
}

/** The job of one attempt: `attempt` is the schedule's position (1-based); manual retries are single tries. */
export interface AttemptJob {
  deliveryId: string;
  attempt: number;
  manual?: boolean;
}

export interface DeliveryProcessorOptions {
  subscriptions: SubscriptionStore;
  secrets: SecretStore;
  deliveries: DeliveryStore;
  http: SafeHttp;
  events: EventLog;
  scheduler: AttemptScheduler;
  logger: Logger;
  userAgent: string;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue RETRY_SCHEDULE_MS */
  schedule?: readonly number[];
  /** Jitter source in [0, 1). @defaultValue Math.random */
  random?: () => number;
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void;
}

/**
 * Makes one attempt of a delivery and decides what follows: 2xx succeeds; 410 disables the subscription;
 * anything else is retried on the schedule (429/502/503/504 after their `Retry-After`, clamped) until it
 * is exhausted (dead letter); a subscription failing everything for 5 days is disabled. Safe to run twice
 * for the same job (a stalled BullMQ job): an attempt the schedule already made is not made again.
 */
export class DeliveryProcessor {
  private readonly now: () => number;
  private readonly schedule: readonly number[];

  constructor(private readonly options: DeliveryProcessorOptions) {
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? RETRY_SCHEDULE_MS;
  }

  async process(job: AttemptJob): Promise<Delivery | undefined> {
    const { deliveries, subscriptions } = this.options;
    const delivery = await deliveries.get(job.deliveryId);
    if (!delivery) return undefined;
    if (!job.manual && (delivery.status !== 'pending' || delivery.scheduled >= job.attempt)) return delivery;
    const subscription = await subscriptions.get(delivery.subscriptionId);
    if (!subscription || subscription.deletedAt !== null || !subscription.active) {
      if (job.manual) {
        // Not sent, and said so; a dead letter stays one (a retry once the subscription is enabled sends it).
        delivery.attempts.push({
          at: this.now(),
          statusCode: null,
          durationMs: 0,
          response: '',
          error: 'not sent: the subscription is disabled or deleted',
          trigger: 'manual',
        });
      } else {
        delivery.status = 'failed';
        delivery.nextAttemptAt = null;
      }
      delivery.updatedAt = this.now();
      await deliveries.save(delivery);
      return delivery;
    }
    const outcome = await this.send(subscription, delivery.event);
    const attempt: Attempt = {
      ...attemptOf(outcome, this.now() - outcome.durationMs),
      trigger: job.manual ? 'manual' : 'schedule',
    };
    delivery.attempts.push(attempt);
    if (!job.manual) delivery.scheduled = job.attempt;
    const result = await this.decide(delivery, subscription, outcome, job);
    delivery.updatedAt = this.now();
    await deliveries.save(delivery);
    this.options.onAttempt?.(result, outcome.durationMs);
    this.options.logger.info('notification attempt', {
      deliveryId: delivery.id,
      subscriptionId: subscription.id,
      eventId: delivery.event.id,
      statusCode: outcome.statusCode,
      outcome: result,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    return delivery;
  }

  /** Sends `event` to `subscription` once (also the test ping's path): never throws, the outcome says. */
  async send(subscription: Subscription, event: TradehookEvent): Promise<HttpOutcome> {
    let request;
    let material;
    try {
      material = await this.options.secrets.get(subscription.id, this.now());
      if (!material || material.keys.length === 0) throw new Error('the subscription has no signing secret');
      request = buildDeliveryRequest({
        subscription,
        event,
        material,
        userAgent: this.options.userAgent,
        now: this.now(),
      });
    } catch (error) {
      return { statusCode: null, headers: {}, response: '', error: (error as Error).message, durationMs: 0 };
    }
    const outcome = await this.options.http.post(request.url, request.headers, request.body);
    return withoutSecrets(outcome, material);
  }

  private async decide(
    delivery: Delivery,
    subscription: Subscription,
    outcome: HttpOutcome,
    job: AttemptJob,
  ): Promise<AttemptOutcome> {
    const now = this.now();
    const code = outcome.statusCode;
    if (code !== null && code >= 200 && code < 300) {
      delivery.status = 'succeeded';
      delivery.nextAttemptAt = null;
      if (subscription.failingSince !== null)
        await this.options.subscriptions.update(subscription.id, (s) => ({ ...s, failingSince: null }));
      return 'succeeded';
    }
    if (code === 410) {
      delivery.status = 'failed';
      delivery.nextAttemptAt = null;
      await this.disable(subscription.id, 'gone');
      return 'failed';
    }
    const failingSince = failingRunStart(subscription, now);
    // One write a minute at most, and none by a concurrent attempt that finds it written.
    if (failingSince !== subscription.failingSince || now - (subscription.lastFailureAt ?? 0) >= 60_000)
      await this.options.subscriptions.update(subscription.id, (s) =>
        failingRunStart(s, now) === s.failingSince && now - (s.lastFailureAt ?? 0) < 60_000
          ? undefined
          : { ...s, failingSince: failingRunStart(s, now), lastFailureAt: now },
      );
    if (now - failingSince >= FAILING_DISABLE_MS) {
      delivery.status = 'failed';
      delivery.nextAttemptAt = null;
      await this.disable(subscription.id, 'failing');
      return 'failed';
    }
    // A manual retry is one try: it leaves the delivery's own schedule (if any is left) as it was.
    if (job.manual)
      return delivery.status === 'pending' ? 'retrying' : delivery.status === 'dead' ? 'dead' : 'failed';
    const delay = nextAttemptDelay({
      attemptsMade: job.attempt,
      statusCode: code,
      retryAfter: outcome.headers['retry-after'],
      now,
      schedule: this.schedule,
      random: this.options.random,
    });
    if (delay === null) {
      delivery.status = 'dead';
      delivery.nextAttemptAt = null;
      return 'dead';
    }
    delivery.status = 'pending';
    delivery.nextAttemptAt = now + delay;
    await this.options.scheduler.schedule({ deliveryId: delivery.id, attempt: job.attempt + 1 }, delay);
    return 'retrying';
  }

  /** Disables a subscription and emits `subscription.disabled`, once (only the change from active does). */
  async disable(subscriptionId: string, reason: DisabledReason): Promise<void> {
    let changed = false;
    const updated = await this.options.subscriptions.update(subscriptionId, (s) => {
      if (!s.active) return undefined;
      changed = true;
      return { ...s, active: false, disabledReason: reason, updatedAt: this.now() };
    });
    if (!changed || !updated) return;
    this.options.logger.warn('subscription disabled', { subscriptionId, reason });
    await this.options.events.append(
      newEvent(
        'subscription.disabled',
        { subscriptionId, description: updated.description, reason, events: updated.events },
        this.now(),
      ),
    );
  }
}

/**
 * The outcome with every secret of the subscription blanked out of the answer and the error, which are
 * stored and shown: a receiver may echo what it was sent (Telegram's `sendMessage` answers the chat id).
 */
function withoutSecrets(outcome: HttpOutcome, material: SecretMaterial): HttpOutcome {
  const secrets = [
    material.telegram?.botToken,
    material.telegram?.chatId,
    ...Object.values(material.headers ?? {}),
    ...Object.values(material.urls ?? {}),
    ...material.keys.map((k) => k.secret),
  ].filter((s): s is string => s !== undefined && s.length >= 4);
  const blank = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('[secret]'), text);
  return { ...outcome, response: blank(outcome.response), error: outcome.error && blank(outcome.error) };
}

/** When the run of failures that a failure at `now` belongs to began: now, unless one is going on. */
function failingRunStart(s: Subscription, now: number): number {
  if (s.failingSince === null) return now;
  const last = s.lastFailureAt ?? s.failingSince;
  return now - last > FAILING_GAP_MS ? now : s.failingSince;
}

function attemptOf(outcome: HttpOutcome, at: number): Omit<Attempt, 'trigger'> {
  return {
    at,
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    response: outcome.response,
    error:
      outcome.error ??
      (outcome.statusCode !== null && (outcome.statusCode < 200 || outcome.statusCode >= 300)
        ? `HTTP ${outcome.statusCode}`
        : null),
  };
}
