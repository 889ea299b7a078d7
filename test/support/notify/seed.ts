import { randomBytes } from 'node:crypto';
import { type Redis } from 'ioredis';
import { newEvent } from '../../../src/events/event-log';
import { freshDeliveryId, newDelivery } from '../../../src/notify/delivery';
import { DeliveryStore } from '../../../src/notify/delivery-store';
import { subscriptionParts } from '../../../src/notify/notify-parts';
import { redisKeys } from '../../../src/redis/keys';

/**
 * A subscription written straight into the store, past the API's url check: its url is a private address,
 * so that sending to it (a test ping) is refused at connect time and never leaves the machine.
 */
export async function seedSubscription(redis: Redis, prefix: string, secretsKey = ''): Promise<string> {
  const keys = redisKeys(prefix);
  const { service } = subscriptionParts(redis, keys, secretsKey);
  const saved = await service.create(
    { url: `https://10.0.0.1/${randomBytes(6).toString('hex')}`, events: ['signal.filled'] },
    Date.now(),
  );
  if (saved.outcome !== 'saved') throw new Error(saved.outcome);
  return saved.subscription.id;
}

/** A pending delivery of a `signal.filled` event to a seeded subscription. */
export async function seedDelivery(redis: Redis, prefix: string): Promise<string> {
  const subscriptionId = await seedSubscription(redis, prefix);
  const delivery = newDelivery({
    id: freshDeliveryId(),
    subscriptionId,
    event: newEvent('signal.filled', { id: 'sig_seed', account: 'main' }),
    now: Date.now(),
  });
  await new DeliveryStore(redis, redisKeys(prefix)).create(delivery);
  return delivery.id;
}
