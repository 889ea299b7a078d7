import request from 'supertest';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { seedSignal } from '../../support/seed-signal';
import { type TestApp, startTestApp } from '../../support/test-app';

let app: TestApp;
let trader: string;
const BASE = Date.UTC(2026, 10, 30, 9, 0, 0);

beforeAll(async () => {
  app = await startTestApp('dead-letter');
  trader = (await issueKey(app.redis, app.prefix, 'trader', { name: 'ops-trader' })).key;
});
afterAll(() => app.close());

const api = () => ({
  get: (query: Record<string, string>) =>
    request(app.url).get('/api/v1/dead-letter').query(query).set('authorization', `Bearer ${trader}`),
  ack: (id: string, body: object = {}) =>
    request(app.url)
      .post(`/api/v1/dead-letter/${id}/ack`)
      .set('authorization', `Bearer ${trader}`)
      .send(body),
});

async function listAll(query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const res = await api()
      .get({ ...query, ...(cursor ? { cursor } : {}) })
      .expect(200);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('dead letters', () => {
  const failed: string[] = [];

  beforeAll(async () => {
    // Twelve failures a minute apart (two sharing a time), an order of unknown fate among them, plus
    // signals that are not dead letters.
    for (let i = 0; i < 12; i++) {
      const at = BASE + Math.min(i, 10) * 60_000;
      const error =
        i === 3
          ? { code: 'order_state_unknown', message: 'may be live' }
          : { code: 'insufficient_funds', message: 'x' };
      failed.push(await seedSignal(app.redis, app.prefix, 'failed', { now: at, error }));
    }
    await seedSignal(app.redis, app.prefix, 'filled', { now: BASE });
    await seedSignal(app.redis, app.prefix, 'expired', { now: BASE });
  });

  it('lists failed signals oldest first, order_state_unknown included, across pages', async () => {
    const ids = await listAll({ limit: '5' });
    // Other tests of this file acknowledge failed[3] and settle failed[5] (no longer failed); in random
    // order they may run first.
    const handled = new Set(await listAll({ limit: '5', handled: 'true' }));
    const settled = new Set<string>();
    for (const id of failed)
      if ((await app.redis.hget(`${app.prefix}:signal:${id}`, 'status')) !== 'failed') settled.add(id);
    const byTime = [...failed.slice(0, 10), ...failed.slice(10).sort()].filter(
      (id) => !handled.has(id) && !settled.has(id),
    );
    expect(ids).toEqual(byTime);
    expect(ids.length + handled.size + settled.size).toBe(12);
    const first = await api().get({ limit: '1' }).expect(200);
    expect(first.body.items[0]).toMatchObject({
      id: failed[0],
      status: 'failed',
      failedAt: new Date(BASE + 2).toISOString(),
      deadLetter: null,
    });
  });

  it('when one is acknowledged with a note, then it moves to handled=true with who and when, and its detail shows it', async () => {
    const id = failed[3];
    const res = await api().ack(id, { note: 'found on Binance, closed by hand' }).expect(200);
    expect(res.body).toEqual({
      id,
      deadLetter: {
        handledAt: expect.any(String),
        handledBy: 'ops-trader',
        note: 'found on Binance, closed by hand',
      },
    });

    expect(await listAll({ limit: '50' })).not.toContain(id);
    const handled = await api().get({ handled: 'true' }).expect(200);
    expect(handled.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const detail = await request(app.url)
      .get(`/api/v1/signals/${id}`)
      .set('authorization', `Bearer ${trader}`);
    expect(detail.body.deadLetter).toMatchObject({ handledBy: 'ops-trader' });

    const again = await api().ack(id).expect(409);
    expect(again.body.message).toBe(`signal ${id} was already acknowledged`);
  });

  it('when a dead letter is settled by the reconciler, then it leaves the list', async () => {
    const id = failed[5];
    const store = new SignalStore(app.redis, redisKeys(app.prefix), 30);
    await store.update(id, {
      from: 'failed',
      to: 'done',
      error: null,
      progress: { stepsDone: 0, orders: [], calls: [] },
      finishedAt: Date.now(),
    });
    expect(await listAll({ limit: '50' })).not.toContain(id);
  });

  it('answers 409 for a signal that is not a dead letter and 404 for an unknown one', async () => {
    const filled = await seedSignal(app.redis, app.prefix, 'filled');
    const res = await api().ack(filled).expect(409);
    expect(res.body).toEqual({ error: 'conflict', message: `signal ${filled} is filled, not a dead letter` });
    await api().ack('sig_0000000000000000000000aa').expect(404);
  });

  it('refuses an unknown body field by name', async () => {
    const res = await api().ack(failed[0], { note: 'x', colour: 'red' }).expect(400);
    expect(res.body.issues[0].path).toBe('body.colour');
  });
});
