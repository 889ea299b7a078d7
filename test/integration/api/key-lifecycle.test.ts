import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { loadConfig } from '../../../src/config/config';
import { KeyStore } from '../../../src/keys/key-store';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { captureLogs } from '../../support/log-capture';
import { type TestApp, startTestApp } from '../../support/test-app';
import { REDIS_URL } from '../../support/test-redis';

const T0 = Date.parse('2030-01-01T00:00:00Z');
let clock = T0;
let app: TestApp;
let other: WebProcess;
let otherUrl: string;
const me = (url: string, key: string) =>
  request(url).get(`${API_BASE_PATH}/session`).set('authorization', `Bearer ${key}`);

beforeAll(async () => {
  app = await startTestApp('keylife', {}, { web: { management: { now: () => clock } } });
  // A second web process on the same Redis and prefix, as two Heroku web dynos.
  other = await startWeb(
    loadConfig({ REDIS_URL, WEBHOOK_TOKENS: 'test-token-1', PORT: '0', QUEUE_PREFIX: app.prefix }),
    captureLogs().logger,
    { management: { now: () => clock } },
  );
  otherUrl = `http://127.0.0.1:${other.port}`;
});
afterAll(async () => {
  await other.close(1000);
  await app.close();
});
beforeEach(() => {
  clock = T0;
});

describe('two web processes', () => {
  it('when a key is revoked through one web process, then the other refuses it on its very next request', async () => {
    const admin = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const target = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    // The second process has seen the key (whatever it may remember of it, it remembers now).
    expect((await me(otherUrl, target.key)).status).toBe(200);

    const revoked = await request(app.url)
      .delete(`${API_BASE_PATH}/keys/${target.id}`)
      .set('authorization', `Bearer ${admin.key}`);
    expect(revoked.status).toBe(200);

    expect((await me(otherUrl, target.key)).status).toBe(401);
    expect((await me(app.url, target.key)).status).toBe(401);
  });

  it("when a key's requests are spread over two web processes, then its rate limit counts them all: 429 with Retry-After", async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { rateLimitPerMinute: 3, now: T0 });
    const statuses = [];
    for (const url of [app.url, otherUrl, app.url]) statuses.push((await me(url, key)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await me(otherUrl, key);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await me(app.url, key)).status).toBe(429);
  });

  it('when a key has its own limit, then the headers say how much of it is left', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { rateLimitPerMinute: 5, now: T0 });
    const res = await me(app.url, key);
    expect(res.headers['ratelimit-limit']).toBe('5');
    expect(res.headers['ratelimit-remaining']).toBe('4');
  });
});

describe('expiry and last use (injected clock)', () => {
  it('when the clock passes expiresAt, then the key gets 401 from then on', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { expiresAt: T0 + 60_000, now: T0 });
    clock = T0 + 59_999;
    expect((await me(app.url, key)).status).toBe(200);
    clock = T0 + 60_000;
    expect((await me(app.url, key)).status).toBe(401);
    expect((await me(otherUrl, key)).status).toBe(401);
  });

  it('when a key is used many times within a minute, then last-used is written once, then again a minute later', async () => {
    const { id, key } = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const store = new KeyStore(app.redis, redisKeys(app.prefix));
    const lastUsed = async () => (await store.get(id))?.lastUsedAt;
    expect(await lastUsed()).toBeUndefined();

    clock = T0 + 1000;
    await me(app.url, key).expect(200);
    expect(await lastUsed()).toBe(T0 + 1000);
    for (const t of [2000, 30_000, 60_999]) {
      clock = T0 + t;
      await me(t % 2 ? otherUrl : app.url, key).expect(200);
      expect(await lastUsed()).toBe(T0 + 1000);
    }
    clock = T0 + 61_000;
    await me(otherUrl, key).expect(200);
    expect(await lastUsed()).toBe(T0 + 61_000);
  });
});
