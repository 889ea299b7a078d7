import { Redis } from 'ioredis';
import { EventLog } from '../../../src/events/event-log';
import {
  type AttemptJob,
  DeliveryProcessor,
  type DeliveryProcessorOptions,
} from '../../../src/notify/delivery-processor';
import { DeliveryStore } from '../../../src/notify/delivery-store';
import { FanOut } from '../../../src/notify/fan-out';
import { subscriptionParts } from '../../../src/notify/notify-parts';
import { type Resolver } from '../../../src/notify/address-policy';
import { SafeHttp } from '../../../src/notify/safe-http';
import { redisKeys } from '../../../src/redis/keys';
import { captureLogs } from '../log-capture';
import { REDIS_URL } from '../test-redis';

/** The secrets key tests encrypt with. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 42).toString('base64');

/**
 * The notification parts over real Redis, with an injected clock and a scheduler that records the attempts
 * it is asked to schedule instead of delaying BullMQ jobs: tests run each scheduled attempt themselves,
 * after moving the clock.
 */
export function notifyHarness(
  prefix: string,
  options: Partial<DeliveryProcessorOptions> & { resolver?: Resolver; timeoutMs?: number } = {},
) {
  const redis = new Redis(REDIS_URL);
  const keys = redisKeys(prefix);
  const clock = { now: 1_790_000_000_000 };
  const now = () => clock.now;
  const logs = captureLogs();
  const { secrets, subscriptions, service } = subscriptionParts(redis, keys, TEST_SECRETS_KEY);
  const deliveries = new DeliveryStore(redis, keys);
  const events = new EventLog({ redis, key: keys.events });
  const scheduled: Array<{ job: AttemptJob; delayMs: number }> = [];
  const scheduler = {
    async schedule(job: AttemptJob, delayMs: number) {
      scheduled.push({ job, delayMs });
    },
  };
  const processor = new DeliveryProcessor({
    subscriptions,
    secrets,
    deliveries,
    http: new SafeHttp({ allowLoopback: true, resolver: options.resolver, timeoutMs: options.timeoutMs }),
    events,
    scheduler,
    logger: logs.logger,
    userAgent: 'tradehook/test',
    now,
    random: () => 0.5,
    ...options,
  });
  const fanOut = new FanOut({
    redis,
    events,
    subscriptions,
    deliveries,
    scheduler,
    logger: logs.logger,
    keys: { cursor: keys.notifyCursor, lease: keys.notifyLease },
    now,
  });
  return {
    redis,
    keys,
    clock,
    logs,
    subscriptions,
    service,
    secrets,
    deliveries,
    events,
    scheduled,
    processor,
    fanOut,
    /** Runs the oldest scheduled attempt (after moving the clock by its delay). */
    async runNext() {
      const next = scheduled.shift();
      if (!next) throw new Error('nothing scheduled');
      clock.now += next.delayMs;
      return { delayMs: next.delayMs, delivery: await processor.process(next.job) };
    },
    close: () => redis.quit(),
  };
}
