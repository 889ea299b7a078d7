import request from 'supertest';
import { systemRoutes } from '../../../src/api/routes/system-routes';
import { createReadinessProbe } from '../../../src/observability/readiness';
import { QueueCatalog } from '../../../src/queue/queue-catalog';
import { createRedisClient } from '../../../src/redis/redis-client';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { startOwnRedis } from '../../support/own-redis';
import { type TestApp, startTestApp } from '../../support/test-app';

describe('GET /api/v1/system when Redis fails during the request', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('when one of its reads fails (a Redis error mid-request), then 200 with that part null and redis.ok false, never a 500', async () => {
    app = await startTestApp('system-failure');
    const viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
    // Authentication reads Redis fine; the handler's heartbeat read then fails with WRONGTYPE.
    await app.redis.set(redisKeys(app.prefix).workerHeartbeat, 'not a hash');

    const res = await request(app.url).get('/api/v1/system').set('authorization', `Bearer ${viewer}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ redis: { ok: false }, workers: null, paused: [] });
    expect(res.body.queues.map((q: { name: string }) => q.name)).toContain('signals-0');
  });

  it('when its Redis is gone, then the handler answers 200 with what it knows: the version, the failed checks, null for every read', async () => {
    const own = await startOwnRedis();
    const redis = createRedisClient({
      url: own.url,
      mode: 'fail-fast',
      commandTimeoutMs: 500,
      tlsRejectUnauthorized: true,
    });
    const keys = redisKeys('system-gone');
    // No queues: a BullMQ queue on a lost connection waits for it to come back (the route bounds that wait,
    // readTimeoutMs) and would keep the test process alive after it.
    const catalog = new QueueCatalog();
    const [route] = systemRoutes({
      redis,
      keys,
      catalog,
      readiness: createReadinessProbe({ redis, keys }),
      readTimeoutMs: 300,
    });
    try {
      await own.stop();

      const result = await route.handler({} as Parameters<typeof route.handler>[0]);

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        version: expect.any(String),
        redis: { ok: false, maxmemoryPolicy: null },
        workers: null,
        breakers: null,
        paused: null,
      });
      const checks = (result.body as { checks: Array<{ name: string; ok: boolean }> }).checks;
      expect(checks.find((c) => c.name === 'redis')).toMatchObject({ ok: false });
    } finally {
      redis.disconnect();
      await own.stop();
    }
  });
});
