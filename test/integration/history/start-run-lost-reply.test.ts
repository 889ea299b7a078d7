import { once } from 'node:events';
import { SignalStore } from '../../../src/history/signal-store';
import { createRedisClient } from '../../../src/redis/redis-client';
import { redisKeys } from '../../../src/redis/keys';
import { type ReplyCuttingProxy, startReplyCuttingProxy } from '../../support/reply-cutting-proxy';
import { signalEnvelope } from '../../support/seed-signal';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * A run's start whose answer was lost with the connection: ioredis sends the script again on the new
 * connection. The second run must not count a second attempt (the record's `attempts` is what the dashboard
 * and the API show; a retry is a new start and counts).
 */
describe('SignalStore.start when its answer was lost with the connection', () => {
  const prefix = uniquePrefix('start-lost');
  let proxy: ReplyCuttingProxy;
  let redis: ReturnType<typeof createRedisClient>;
  let store: SignalStore;

  beforeAll(async () => {
    proxy = await startReplyCuttingProxy();
    redis = createRedisClient({ url: proxy.url, tlsRejectUnauthorized: true, mode: 'fail-fast' });
    if (redis.status !== 'ready') await once(redis, 'ready');
    store = new SignalStore(redis, redisKeys(prefix), 1);
  });
  afterAll(async () => {
    redis?.disconnect();
    await proxy?.close();
    await dropPrefix(prefix);
  });

  it('when the start ran but its answer was lost, then its resend counts one attempt; a later start counts the next', async () => {
    // A first signal loads the scripts into Redis, so that the cut start runs by EVALSHA on its first send.
    const warm = signalEnvelope('sig_start_warm');
    await store.recordQueued(warm, warm.receivedAt);
    await store.start(warm, warm.receivedAt + 1);

    const s = signalEnvelope('sig_start_cut');
    await store.recordQueued(s, s.receivedAt);
    const cut = proxy.cutReplyTo(`:signal:${s.id}`);
    const started = await store.start(s, s.receivedAt + 5);
    await cut;

    expect(started).toMatchObject({ state: 'started', attempt: 1 });
    expect(await store.get(s.id)).toMatchObject({ status: 'processing', attempts: 1 });

    // The next start (a stalled job taken over, an operator's retry) is an attempt of its own.
    expect(await store.start(s, s.receivedAt + 10)).toMatchObject({ state: 'started', attempt: 2 });
    expect(await store.get(s.id)).toMatchObject({ attempts: 2 });
  });
});
