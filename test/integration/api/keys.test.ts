import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { dumpPrefix, issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

const ADMIN_API_KEY = `th_${'bootstrapKey0123456789_-'.repeat(2)}`;

let app: TestApp;
let admin: string;
const api = (path: string) => `${API_BASE_PATH}${path}`;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  app = await startTestApp('keys', { ADMIN_API_KEY });
  await app.web.core.bootstrapped;
  admin = ADMIN_API_KEY;
});
afterAll(() => app.close());

describe('API keys through the API', () => {
  it('when ADMIN_API_KEY is set, then it works as the admin key named bootstrap', async () => {
    const res = await request(app.url).get(api('/session')).set(as(admin));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ keyName: 'bootstrap', role: 'admin', via: 'bearer', session: null });
  });

  it('when an admin creates a key, then the answer holds it once and it authenticates with its role', async () => {
    const created = await request(app.url)
      .post(api('/keys'))
      .set(as(admin))
      .send({ name: 'grafana', role: 'viewer', rateLimitPerMinute: 30 });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^th_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name: 'grafana',
      role: 'viewer',
      state: 'active',
      rateLimitPerMinute: 30,
    });

    const me = await request(app.url).get(api('/session')).set(as(created.body.apiKey));
    expect(me.body).toMatchObject({ keyId: created.body.id, role: 'viewer' });
    const shown = await request(app.url)
      .get(api(`/keys/${created.body.id}`))
      .set(as(admin));
    expect(shown.body.apiKey).toBeUndefined();
    expect(JSON.stringify(shown.body)).not.toContain(created.body.apiKey);
  });

  it('when keys are listed, then pages of `limit` follow nextCursor newest first until null, with no key shown', async () => {
    for (let i = 0; i < 4; i++) await issueKey(app.redis, app.prefix, 'viewer', { name: `page-${i}` });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(app.url)
        .get(api('/keys'))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(as(admin));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(item).not.toHaveProperty('apiKey');
        expect(item).not.toHaveProperty('hash');
        ids.push(item.id);
      }
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await request(app.url).get(api('/keys')).query({ limit: 200 }).set(as(admin));
    expect(ids).toEqual(all.body.items.map((k: { id: string }) => k.id));
    const created = all.body.items.map((k: { createdAt: string }) => k.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it.each([
    ['an unknown field', { name: 'x', role: 'viewer', scope: 'all' }, 'body.scope', 'unknown field'],
    ['an unknown role', { name: 'x', role: 'root' }, 'body.role', ''],
    ['an empty name', { name: '  ', role: 'viewer' }, 'body.name', ''],
    [
      'a past expiry',
      { name: 'x', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' },
      'body.expiresAt',
      'future',
    ],
    [
      'a rate limit of 0',
      { name: 'x', role: 'viewer', rateLimitPerMinute: 0 },
      'body.rateLimitPerMinute',
      '',
    ],
  ])('when the body has %s, then 400 invalid_request names the field', async (_case, body, path, message) => {
    const res = await request(app.url).post(api('/keys')).set(as(admin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.issues).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"name": ', 400, 'invalid_json'],
    ['a form body', 'application/x-www-form-urlencoded', 'name=x&role=viewer', 415, 'unsupported_media_type'],
    ['a JSON array', 'application/json', '[1]', 400, 'invalid_request'],
    [
      'a body over 64 KiB',
      'application/json',
      JSON.stringify({ name: 'x'.repeat(70_000), role: 'viewer' }),
      413,
      'payload_too_large',
    ],
  ])(
    'when the body is %s, then %s answers in the documented shape',
    async (_case, type, body, status, error) => {
      const res = await request(app.url)
        .post(api('/keys'))
        .set(as(admin))
        .set('content-type', type)
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(expect.objectContaining({ error, message: expect.any(String) }));
    },
  );

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of something else', Buffer.from('{"v":1,"p":"nope"}').toString('base64url')],
    ['an audit cursor', Buffer.from('{"v":1,"p":"1700000000000-0"}').toString('base64url')],
  ])('when the cursor is %s, then 400 names query.cursor', async (_case, cursor) => {
    const res = await request(app.url).get(api('/keys')).query({ cursor }).set(as(admin));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
  });

  it.each([
    ['0', 'query.limit'],
    ['201', 'query.limit'],
    ['ten', 'query.limit'],
  ])('when limit is %s, then 400 names it', async (limit, path) => {
    const res = await request(app.url).get(api('/keys')).query({ limit }).set(as(admin));
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe(path);
  });

  it('when the query has an unknown parameter, then 400 names it', async () => {
    const res = await request(app.url).get(api('/keys')).query({ limt: 5 }).set(as(admin));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'query.limt', message: 'unknown field' }]);
  });

  it('when a key is revoked, then it is refused at once and revoking again answers it unchanged', async () => {
    const { id, key } = await issueKey(app.redis, app.prefix, 'trader');
    expect((await request(app.url).get(api('/session')).set(as(key))).status).toBe(200);
    const revoked = await request(app.url)
      .delete(api(`/keys/${id}`))
      .set(as(admin));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, state: 'revoked', revokedAt: expect.any(String) });
    expect((await request(app.url).get(api('/session')).set(as(key))).status).toBe(401);
    const again = await request(app.url)
      .delete(api(`/keys/${id}`))
      .set(as(admin));
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('when the key to revoke does not exist, then 404', async () => {
    const res = await request(app.url).delete(api('/keys/key_0000000000000000')).set(as(admin));
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });
});

describe('the last admin key', () => {
  let own: TestApp;
  beforeAll(async () => {
    own = await startTestApp('lastadmin');
  });
  afterAll(() => own.close());

  const revoke = (id: string, key: string) =>
    request(own.url)
      .delete(api(`/keys/${id}`))
      .set(as(key));

  it('when the last active admin key revokes itself, then 409 says why; once another admin exists, it may', async () => {
    const first = await issueKey(own.redis, own.prefix, 'admin');
    await issueKey(own.redis, own.prefix, 'viewer'); // a viewer does not count as an admin
    const expired = await issueKey(own.redis, own.prefix, 'admin', { expiresAt: Date.now() - 1 });
    expect(expired.id).toBeDefined(); // an expired admin does not count either

    const refused = await revoke(first.id, first.key);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'conflict',
      message: expect.stringContaining('last active admin key'),
    });
    expect((await request(own.url).get(api('/session')).set(as(first.key))).status).toBe(200);

    const second = await issueKey(own.redis, own.prefix, 'admin');
    expect((await revoke(first.id, first.key)).status).toBe(200);
    expect((await revoke(second.id, second.key)).status).toBe(409);
  });
});

describe('secrets', () => {
  it('when keys were created, used and revoked, then no raw key is anywhere in Redis or in the logs', async () => {
    const created = await request(app.url)
      .post(api('/keys'))
      .set(as(admin))
      .send({ name: 'leak-check', role: 'admin' });
    const raw = created.body.apiKey as string;
    await request(app.url).get(api('/keys')).set(as(raw)).expect(200);
    const signIn = await request(app.url).post(api('/session')).send({ apiKey: raw });
    const session = /th_session=([^;]+)/.exec(signIn.headers['set-cookie'][0])?.[1] ?? '';
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await request(app.url).get(api('/session')).set('cookie', `th_session=${session}`).expect(200);
    await request(app.url)
      .delete(api(`/keys/${created.body.id}`))
      .set(as(admin))
      .expect(200);

    const redis = await dumpPrefix(app.redis, app.prefix);
    expect(redis).toContain(created.body.id); // the dump does hold the key's record
    for (const secret of [raw, raw.slice(3), ADMIN_API_KEY, session]) {
      expect(redis).not.toContain(secret);
      expect(app.logs.text()).not.toContain(secret);
    }
  });
});
