import { Redis } from 'ioredis';
import request from 'supertest';
import { loadConfig } from '../../../src/config/config';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { redisKeys } from '../../../src/redis/keys';
import { captureLogs } from '../../support/log-capture';
import { type OwnRedis, startOwnRedis } from '../../support/own-redis';

describe('GET /ready', () => {
  let own: OwnRedis;
  let client: Redis;
  let web: WebProcess;
  let clock = Date.now();
  const keys = redisKeys('ready');
  const ready = () => request(`http://127.0.0.1:${web.port}`).get('/ready');
  const check = (body: { checks: { name: string }[] }, name: string) =>
    body.checks.find((c) => c.name === name);

  beforeAll(async () => {
    own = await startOwnRedis();
    client = new Redis(own.url);
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    const config = loadConfig({
      REDIS_URL: own.url,
      WEBHOOK_TOKENS: 'ready-token',
      PORT: '0',
      QUEUE_PREFIX: 'ready',
    });
    web = await startWeb(config, captureLogs().logger, { management: { now: () => clock } });
  });
  afterAll(async () => {
    client.disconnect();
    await web.close(500);
    await own.stop();
  });
  beforeEach(async () => {
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
    await client.hset(keys.breakers, { default: 'closed', updatedAt: String(clock) });
  });

  it('when Redis, a fresh worker and closed breakers are there, then 200 ready', async () => {
    clock += 61_000; // past any cached eviction-policy read
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
    await client.hset(keys.breakers, { default: 'closed', updatedAt: String(clock) });
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
  });

  it('when no worker has beaten for 30 s, then 200 degraded: alerts still queue', async () => {
    await client.hset(keys.workerHeartbeat, 'w1', String(clock - 30_000));
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(check(res.body, 'worker')).toMatchObject({
      ok: false,
      critical: false,
      detail: expect.stringContaining('no worker heartbeat'),
    });
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
  });

  it('when a breaker is open, then 200 degraded naming the account', async () => {
    await client.hset(keys.breakers, { default: 'open' });
    const res = await ready();
    expect(res.status).toBe(200);
    expect(check(res.body, 'exchanges')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('default'),
    });
    await client.hset(keys.breakers, { default: 'closed' });
  });

  it('when Redis evicts keys, then a warning — read at most once a minute, not per probe', async () => {
    clock += 61_000; // a fresh read
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
    expect(check((await ready()).body, 'redis_eviction_policy')).toMatchObject({ ok: true });
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    clock += 30_000;
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
    expect(check((await ready()).body, 'redis_eviction_policy')).toMatchObject({ ok: true }); // not read again yet
    clock += 31_000;
    await client.hset(keys.workerHeartbeat, 'w1', String(clock));
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(check(res.body, 'redis_eviction_policy')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('allkeys-lru'),
    });
    await client.config('SET', 'maxmemory-policy', 'noeviction');
  });
});

describe('GET /ready without Redis', () => {
  it('when Redis is gone, then 503: alerts cannot be queued', async () => {
    const own = await startOwnRedis();
    const config = loadConfig({
      REDIS_URL: own.url,
      WEBHOOK_TOKENS: 'ready-token',
      PORT: '0',
      QUEUE_PREFIX: 'gone',
    });
    const web = await startWeb(config, captureLogs().logger);
    try {
      await own.stop();
      const res = await request(`http://127.0.0.1:${web.port}`).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('unavailable');
      expect(res.body.checks.find((c: { name: string }) => c.name === 'redis')).toMatchObject({
        ok: false,
        critical: true,
      });
    } finally {
      await web.close(500);
      await own.stop();
    }
  });
});
