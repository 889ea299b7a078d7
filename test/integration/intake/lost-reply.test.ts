import { once } from 'node:events';
import request from 'supertest';
import { NonceStore } from '../../../src/intake/nonce-store';
import { createRedisClient } from '../../../src/redis/redis-client';
import { signalIdFromNonce } from '../../../src/signals/signal-id';
import { type ReplyCuttingProxy, startReplyCuttingProxy } from '../../support/reply-cutting-proxy';
import { type TestApp, countSignalJobs, startTestApp } from '../../support/test-app';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';
import { webhookAlert as alert } from '../../support/webhook-alert';

/**
 * A connection to Redis lost after Redis ran the nonce claim but before its answer arrived: ioredis sends
 * the command again on the new connection, and that second run finds the nonce already claimed — by the
 * same request. It must know its own claim: answering "seen before" would be a 200 duplicate for an alert
 * nothing queued, and TradingView does not resend after a 200 (a lost alert).
 */
describe('a nonce claim whose answer was lost with the connection', () => {
  let proxy: ReplyCuttingProxy;
  let app: TestApp;
  beforeAll(async () => {
    proxy = await startReplyCuttingProxy();
    app = await startTestApp('lost-reply', { REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  const send = (body: string) =>
    request(app.url).post('/webhook').set('content-type', 'application/json').send(body);

  it('when the webhook claim ran but its answer was lost, then its resend by ioredis still queues the alert once (202, then duplicate)', async () => {
    // A first alert loads the scripts into Redis, so that the cut one runs by EVALSHA on its first send.
    expect((await send(alert('lost-reply-warm'))).status).toBe(202);
    const before = await countSignalJobs(app.redis, app.prefix);
    const id = signalIdFromNonce('id:lost-reply-1');
    const cut = proxy.cutReplyTo(`:nonce:${id}`);

    const res = await send(alert('lost-reply-1'));
    await cut;
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'queued' });
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before + 1);

    const again = await send(alert('lost-reply-1'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id, status: 'duplicate' });
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before + 1);
  });

  it('when a NonceStore claim ran but its answer was lost, then the resend returns the claim; a second claimer is refused', async () => {
    const prefix = uniquePrefix('lost-reply-store');
    const redis = createRedisClient({ url: proxy.url, tlsRejectUnauthorized: true, mode: 'fail-fast' });
    try {
      if (redis.status !== 'ready') await once(redis, 'ready');
      const store = new NonceStore(redis, (signalId) => `${prefix}:nonce:${signalId}`, { ttlMs: 60_000 });
      const neverAbandoned = async () => false;
      expect(await store.claim('sig_warm', Date.now(), neverAbandoned)).toEqual(expect.any(String));

      const cut = proxy.cutReplyTo(`${prefix}:nonce:sig_cut`);
      const token = await store.claim('sig_cut', Date.now(), neverAbandoned);
      await cut;
      expect(token).toEqual(expect.any(String));
      expect(await store.claim('sig_cut', Date.now(), neverAbandoned)).toBeUndefined();
    } finally {
      redis.disconnect();
      await dropPrefix(prefix);
    }
  });
});
