import { randomBytes } from 'node:crypto';
import { type Redis } from 'ioredis';
import { SignalStore } from '../../src/history/signal-store';
import { redisKeys } from '../../src/redis/keys';
import { type SignalEnvelope } from '../../src/signals/signal';
import { type SignalError, type SignalStatus } from '../../src/signals/signal-record';

/** A signal as the intake queues it: a market buy of BTCUSDT on the default account, unless told otherwise. */
export function signalEnvelope(
  id: string,
  fields: Partial<Omit<SignalEnvelope, 'alert'>> & { alert?: Partial<SignalEnvelope['alert']> } = {},
): SignalEnvelope {
  const { alert, ...rest } = fields;
  return {
    id,
    auth: 'token',
    requestId: 'req-1',
    receivedAt: Date.now(),
    ...rest,
    alert: {
      account: 'default',
      symbol: 'BTCUSDT',
      action: 'buy',
      orderType: 'market',
      quantityType: 'base',
      quantity: 1,
      ...alert,
    },
  };
}

/**
 * Writes a signal record through the real store scripts and ends it with `status` (`queued` leaves it
 * queued): for tests that need a signal to look at, retry or acknowledge. Returns its id.
 */
export async function seedSignal(
  redis: Redis,
  prefix: string,
  status: SignalStatus,
  options: { error?: SignalError; now?: number; alert?: Partial<SignalEnvelope['alert']> } = {},
): Promise<string> {
  const store = new SignalStore(redis, redisKeys(prefix), 30);
  const now = options.now ?? Date.now();
  const signal = signalEnvelope(`sig_${randomBytes(12).toString('hex')}`, {
    receivedAt: now,
    requestId: 'seeded',
    alert: { quantity: 0.001, price: 60_000, ...options.alert },
  });
  await store.recordQueued(signal, now);
  if (status === 'queued') return signal.id;
  await store.start(signal, now + 1);
  if (status === 'processing') return signal.id;
  const error =
    options.error ??
    (status === 'failed' ? { code: 'exchange_error', message: 'seeded failure' } : undefined);
  await store.finish(signal.id, {
    status,
    finishedAt: now + 2,
    progress: { stepsDone: 0, orders: [], calls: [] },
    ...(error ? { error } : {}),
  });
  return signal.id;
}
