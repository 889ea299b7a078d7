import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

const T0 = Date.parse('2030-01-01T00:00:00Z');
let clock = T0;
let app: TestApp;
let proxied: TestApp;
const api = (path: string) => `${API_BASE_PATH}${path}`;

beforeAll(async () => {
  app = await startTestApp('sessions', {}, { web: { management: { now: () => clock } } });
  proxied = await startTestApp(
    'sessproxy',
    { TRUST_PROXY: '1' },
    { web: { management: { now: () => clock } } },
  );
});
afterAll(async () => {
  await proxied.close();
  await app.close();
});
beforeEach(() => {
  clock = T0;
});

async function signIn(target: TestApp, key: string): Promise<{ cookie: string; header: string }> {
  const res = await request(target.url).post(api('/session')).send({ apiKey: key });
  expect(res.status).toBe(204);
  const header = res.headers['set-cookie'][0] as string;
  return { cookie: header.split(';')[0], header };
}

describe('sign in', () => {
  it('when a valid key signs in, then the cookie is HttpOnly, Secure, SameSite=Strict, Path=/ with a 7-day Max-Age', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const { header, cookie } = await signIn(app, key);
    const attributes = header.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^th_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes.slice(1).sort()).toEqual(
      ['HttpOnly', 'Max-Age=604800', 'Path=/', 'SameSite=Strict', 'Secure'].sort(),
    );
    expect(cookie).not.toContain(key);

    const me = await request(app.url).get(api('/session')).set('cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      via: 'session',
      role: 'viewer',
      session: {
        expiresAt: new Date(T0 + 7 * 86_400_000).toISOString(),
        idleExpiresAt: new Date(T0 + 12 * 3_600_000).toISOString(),
      },
    });
    const ttls = await Promise.all(
      (await app.redis.keys(`${app.prefix}:session:*`)).map((k) => app.redis.pttl(k)),
    );
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(12 * 3_600_000);
  });

  it('when the key expires sooner than 7 days, then the session and its cookie end with it', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { expiresAt: T0 + 3_600_000, now: T0 });
    const { header, cookie } = await signIn(app, key);
    expect(header).toContain('Max-Age=3600');
    clock = T0 + 3_600_000;
    expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(401);
  });

  it('when 7 days have passed since sign-in, then the session is over even if used all along', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const { cookie } = await signIn(app, key);
    clock = T0 + 7 * 86_400_000 - 1;
    expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(200);
    clock = T0 + 7 * 86_400_000;
    expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(401);
  });

  it.each([
    ['an unknown key', `th_${'x'.repeat(43)}`],
    ['not a key', 'hunter2'],
  ])('when %s signs in, then 401 and no cookie', async (_case, apiKey) => {
    const res = await request(app.url).post(api('/session')).send({ apiKey });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when sign-in comes from another site, then 403', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const res = await request(app.url)
      .post(api('/session'))
      .set('origin', 'https://evil.example')
      .send({ apiKey: key });
    expect(res.status).toBe(403);
  });

  it('when a forged cookie is sent, then 401', async () => {
    const res = await request(app.url)
      .get(api('/session'))
      .set('cookie', `th_session=${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
  });
});

describe('writes through a session (Origin)', () => {
  const createKey = (target: TestApp, cookie: string) =>
    request(target.url)
      .post(api('/keys'))
      .set('cookie', cookie)
      .send({ name: 'via-session', role: 'viewer' });

  it('when a cookie write carries no Origin, then 403; with a foreign one, 403; with its own, it succeeds', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const { cookie } = await signIn(app, key);
    const none = await createKey(app, cookie);
    expect(none.status).toBe(403);
    expect(none.body.message).toMatch(/Origin/);
    expect((await createKey(app, cookie).set('origin', 'https://evil.example')).status).toBe(403);
    expect(
      (await createKey(app, cookie).set('origin', app.url.replace('127.0.0.1', 'localhost'))).status,
    ).toBe(403);
    expect((await createKey(app, cookie).set('origin', app.url)).status).toBe(201);
  });

  it('when a cookie read carries no Origin, then it is answered', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const { cookie } = await signIn(app, key);
    expect((await request(app.url).get(api('/keys')).set('cookie', cookie)).status).toBe(200);
  });

  it('when a bearer write carries no Origin (or any), then it succeeds: only cookies ride along by themselves', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const body = { name: 'via-bearer', role: 'viewer' };
    const auth = { authorization: `Bearer ${key}` };
    expect((await request(app.url).post(api('/keys')).set(auth).send(body)).status).toBe(201);
    expect(
      (await request(app.url).post(api('/keys')).set(auth).set('origin', 'https://x.example').send(body))
        .status,
    ).toBe(201);
  });

  it('when TRUST_PROXY trusts the proxy, then the origin is the forwarded scheme and host', async () => {
    const { key } = await issueKey(proxied.redis, proxied.prefix, 'admin', { now: T0 });
    const { cookie } = await signIn(proxied, key);
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' };
    expect(
      (await createKey(proxied, cookie).set(forwarded).set('origin', 'https://hooks.example.com')).status,
    ).toBe(201);
    expect((await createKey(proxied, cookie).set(forwarded).set('origin', proxied.url)).status).toBe(403);
  });

  it('when the proxy is not trusted, then forwarded headers cannot make a foreign Origin pass', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const { cookie } = await signIn(app, key);
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' };
    expect(
      (await createKey(app, cookie).set(forwarded).set('origin', 'https://hooks.example.com')).status,
    ).toBe(403);
  });
});

describe('the end of a session', () => {
  it('when the user signs out, then the cookie is cleared and the session no longer works', async () => {
    const { key } = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const { cookie } = await signIn(app, key);
    const out = await request(app.url).delete(api('/session')).set('cookie', cookie).set('origin', app.url);
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie'][0]).toMatch(/^th_session=; Max-Age=0;/);
    expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(401);
    // The key itself still works.
    expect((await request(app.url).get(api('/session')).set('authorization', `Bearer ${key}`)).status).toBe(
      200,
    );
  });

  it('when the key is revoked, then every session of it ends at once and its record is gone from Redis', async () => {
    const admin = await issueKey(app.redis, app.prefix, 'admin', { now: T0 });
    const target = await issueKey(app.redis, app.prefix, 'trader', { now: T0 });
    const sessions = [await signIn(app, target.key), await signIn(app, target.key)];
    const before = (await app.redis.keys(`${app.prefix}:session:*`)).length;
    await request(app.url)
      .delete(api(`/keys/${target.id}`))
      .set('authorization', `Bearer ${admin.key}`)
      .expect(200);
    expect((await app.redis.keys(`${app.prefix}:session:*`)).length).toBe(before - 2);
    for (const { cookie } of sessions)
      expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(401);
  });

  it('when a session survived its key (a sign-in racing the revocation), then its next request is refused and it is deleted', async () => {
    const target = await issueKey(app.redis, app.prefix, 'viewer', { now: T0 });
    const { cookie } = await signIn(app, target.key);
    const sessionsBefore = (await app.redis.keys(`${app.prefix}:session:*`)).length;
    // Mark the key revoked without the revoke script's session clean-up, as a racing sign-in would leave it.
    await app.redis.hset(`${app.prefix}:apikey:${target.id}`, 'revokedAt', String(T0));
    expect((await request(app.url).get(api('/session')).set('cookie', cookie)).status).toBe(401);
    expect((await app.redis.keys(`${app.prefix}:session:*`)).length).toBe(sessionsBefore - 1);
  });
});
