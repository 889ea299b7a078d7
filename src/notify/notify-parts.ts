import { type Redis } from 'ioredis';
import { type Config } from '../config/config';
import { EventLog } from '../events/event-log';
import { type Logger } from '../observability/logger';
import { type RedisKeys, redisKeys } from '../redis/keys';
import { type Resolver } from './address-policy';
import { DeliveryActions } from './delivery-actions';
import { DeliveryProcessor } from './delivery-processor';
import { DeliveryStore } from './delivery-store';
import { NotificationQueue } from './notification-queue';
import { type AttemptOutcome } from './notify-metrics';
import { SafeHttp } from './safe-http';
import { SecretCipher } from './secret-cipher';
import { SecretStore } from './secret-store';
import { SubscriptionService } from './subscription-service';
import { SubscriptionStore } from './subscription-store';
import { userAgent } from './user-agent';

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface NotifyTuning {
  /** Host name resolution of receivers (tests map names to addresses). */
  resolver?: Resolver;
  /** Timeout of one attempt. @defaultValue 15000 */
  timeoutMs?: number;
  /** Delays before each attempt. @defaultValue RETRY_SCHEDULE_MS */
  schedule?: readonly number[];
  /** How often the fan-out reads the event log. @defaultValue 250 */
  pollMs?: number;
  /** Pause between retries of an attempt whose processing failed (Redis). @defaultValue PROCESSOR_RETRY_DELAY_MS */
  processorRetryDelayMs?: number;
}

/** The subscription side over Redis: the secret store, the records, and the service keeping both consistent. */
export function subscriptionParts(redis: Redis, keys: RedisKeys, secretsKey: string) {
  const secrets = new SecretStore(redis, keys.subscriptionSecrets, new SecretCipher(secretsKey));
  const subscriptions = new SubscriptionStore(redis, keys, secrets);
  return { secrets, subscriptions, service: new SubscriptionService(subscriptions, secrets) };
}

/** The notification parts both processes build the same way (the web for its routes, the worker to deliver). */
export function createNotifyParts(input: {
  config: Config;
  /** Commands (stores, event log). */
  redis: Redis;
  /** BullMQ's producer connection. */
  queueConnection: Redis;
  logger: Logger;
  now?: () => number;
  tuning?: NotifyTuning;
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void;
}) {
  const { config, redis, logger } = input;
  const keys = redisKeys(config.prefix);
  const { secrets, subscriptions, service } = subscriptionParts(redis, keys, config.notify.secretsKey);
  const deliveries = new DeliveryStore(redis, keys);
  const events = new EventLog({ redis, key: keys.events });
  const queue = new NotificationQueue(input.queueConnection, config.prefix, {
    processorRetryDelayMs: input.tuning?.processorRetryDelayMs,
  });
  const processor = new DeliveryProcessor({
    subscriptions,
    secrets,
    deliveries,
    http: new SafeHttp({
      allowLoopback: config.notify.allowInsecureUrls,
      resolver: input.tuning?.resolver,
      timeoutMs: input.tuning?.timeoutMs,
    }),
    events,
    scheduler: queue,
    logger,
    userAgent: userAgent(),
    now: input.now,
    schedule: input.tuning?.schedule,
    onAttempt: input.onAttempt,
  });
  const actions = new DeliveryActions({ processor, deliveries, scheduler: queue, events });
  return {
    keys,
    subscriptions,
    secrets,
    deliveries,
    events,
    queue,
    processor,
    actions,
    service,
  };
}
