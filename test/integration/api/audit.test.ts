import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { AuditLog } from '../../../src/audit/audit-log';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

let app: TestApp;
let admin: { id: string; key: string };
const api = (path: string) => `${API_BASE_PATH}${path}`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

interface Entry {
  id: string;
  at: string;
  action: string;
  target: string | null;
  status: number;
  outcome: string;
  requestId: string | null;
  actor: { keyId: string | null; keyName: string; via: string };
}

async function auditFor(requestId: string): Promise<Entry[]> {
  const res = await request(app.url).get(api('/audit')).query({ limit: 200 }).set(bearer(admin.key));
  expect(res.status).toBe(200);
  return (res.body.items as Entry[]).filter((e) => e.requestId === requestId);
}

beforeAll(async () => {
  app = await startTestApp('audit');
  admin = await issueKey(app.redis, app.prefix, 'admin', { name: 'auditor' });
  await issueKey(app.redis, app.prefix, 'admin'); // never the last admin
});
afterAll(() => app.close());

describe('audit trail', () => {
  it('when a key is created, then one success entry names the actor, action, new key and request id', async () => {
    const res = await request(app.url)
      .post(api('/keys'))
      .set(bearer(admin.key))
      .send({ name: 'a', role: 'viewer' });
    expect(await auditFor(res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'key.create',
        target: `key:${res.body.id}`,
        status: 201,
        outcome: 'success',
        actor: { keyId: admin.id, keyName: 'auditor', via: 'bearer' },
      }),
    ]);
  });

  it('when a key is revoked, then the entry names it', async () => {
    const { id } = await issueKey(app.redis, app.prefix, 'viewer');
    const res = await request(app.url)
      .delete(api(`/keys/${id}`))
      .set(bearer(admin.key));
    expect(await auditFor(res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'key.revoke', target: `key:${id}`, status: 200, outcome: 'success' }),
    ]);
  });

  it('when a session starts and ends, then both are audited under the key', async () => {
    const viewer = await issueKey(app.redis, app.prefix, 'viewer', { name: 'browser' });
    const signIn = await request(app.url).post(api('/session')).send({ apiKey: viewer.key });
    const cookie = signIn.headers['set-cookie'][0].split(';')[0];
    const signOut = await request(app.url)
      .delete(api('/session'))
      .set('cookie', cookie)
      .set('origin', app.url);
    const actor = { keyId: viewer.id, keyName: 'browser', via: 'session' };
    expect(await auditFor(signIn.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'session.create', status: 204, actor }),
    ]);
    expect(await auditFor(signOut.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'session.delete', status: 204, actor }),
    ]);
  });

  it('when a write is refused (role, validation, conflict), then it is audited as a failure with its status', async () => {
    const viewer = await issueKey(app.redis, app.prefix, 'viewer');
    const forbidden = await request(app.url)
      .post(api('/keys'))
      .set(bearer(viewer.key))
      .send({ name: 'x', role: 'admin' });
    const invalid = await request(app.url)
      .post(api('/keys'))
      .set(bearer(admin.key))
      .send({ name: 'x', role: 'god' });
    for (const [res, status] of [
      [forbidden, 403],
      [invalid, 400],
    ] as const) {
      expect(await auditFor(res.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: 'key.create', status, outcome: 'failure' }),
      ]);
    }
  });

  it('when a request is unauthenticated or a read, then nothing is audited', async () => {
    const anonymous = await request(app.url).post(api('/keys')).send({ name: 'x', role: 'admin' });
    const read = await request(app.url).get(api('/keys')).set(bearer(admin.key));
    expect(anonymous.status).toBe(401);
    expect(await auditFor(anonymous.headers['x-request-id'])).toEqual([]);
    expect(await auditFor(read.headers['x-request-id'])).toEqual([]);
  });

  it('when filtered by key and action and paged, then only matching entries come, newest first, without repeats', async () => {
    const actor = await issueKey(app.redis, app.prefix, 'admin', { name: 'filtered' });
    for (let i = 0; i < 5; i++)
      await request(app.url)
        .post(api('/keys'))
        .set(bearer(actor.key))
        .send({ name: `f${i}`, role: 'viewer' });
    const seen: Entry[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(app.url)
        .get(api('/audit'))
        .query({ keyId: actor.id, action: 'key.create', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(bearer(admin.key));
      seen.push(...res.body.items);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((e) => e.id)).size).toBe(5);
    expect(seen.every((e) => e.actor.keyId === actor.id && e.action === 'key.create')).toBe(true);
    const ids = seen.map((e) => e.id);
    expect(
      [...ids].sort((a, b) => (BigInt(a.replace('-', '')) > BigInt(b.replace('-', '')) ? -1 : 1)),
    ).toEqual(ids);
  });

  it('when since/until bound the time, then entries outside are left out', async () => {
    const res = await request(app.url)
      .post(api('/keys'))
      .set(bearer(admin.key))
      .send({ name: 't', role: 'viewer' });
    const [entry] = await auditFor(res.headers['x-request-id']);
    const at = Date.parse(entry.at);
    const query = (q: Record<string, string>) =>
      request(app.url)
        .get(api('/audit'))
        .query({ limit: 200, ...q })
        .set(bearer(admin.key));
    const ids = async (q: Record<string, string>) =>
      ((await query(q)).body.items as Entry[]).map((e) => e.id);
    expect(await ids({ since: new Date(at - 1000).toISOString() })).toContain(entry.id);
    expect(await ids({ since: new Date(at + 2000).toISOString() })).not.toContain(entry.id);
    expect(await ids({ until: new Date(at - 2000).toISOString() })).not.toContain(entry.id);
    expect((await query({ since: 'yesterday' })).status).toBe(400);
    const swapped = await query({
      since: new Date(at + 1000).toISOString(),
      until: new Date(at).toISOString(),
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body.issues).toEqual([{ path: 'query.since', message: 'must not be after until' }]);
  });

  it('when entries are older than the retention, then the next append trims them (and only them)', async () => {
    // Stream ids are Redis's clock, so this one test waits in real time (a quarter second) instead of
    // injecting a clock.
    const key = `${redisKeys(app.prefix).audit}-retention`;
    const log = new AuditLog(app.redis, key, { retentionMs: 200 });
    const entry = (action: string) => ({
      actor: { keyId: null, keyName: 't', via: 'system' as const },
      action,
      target: null,
      requestId: null,
      status: 0,
      outcome: 'success' as const,
    });
    await log.append(entry('old-1'));
    await log.append(entry('old-2'));
    expect(await app.redis.xlen(key)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await log.append(entry('new'));
    const { entries } = await log.list({ limit: 10 });
    expect(entries.map((e) => e.action)).toEqual(['new']);
  });
});
