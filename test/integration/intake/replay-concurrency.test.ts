import request from 'supertest';
import { signedHeaders } from '../../support/sign';
import { type TestApp, countSignalJobs, startTestApp, timenow } from '../../support/test-app';

describe('replay under concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('replay');
  });
  afterAll(() => app.close());

  it('when 20 requests with one webhook-id arrive at once, then exactly one job is queued and 19 are duplicates', async () => {
    const body = JSON.stringify({ symbol: 'ETHUSDT', action: 'sell', quantity: 1, price: 3000 });
    const headers = signedHeaders(body);
    const before = await countSignalJobs(app.redis, app.prefix); // other tests of this file may have run first
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(app.url).post('/webhook').set(headers).send(body)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    // The rest are duplicates; on an overloaded machine a Redis command may time out (1.5 s) and answer
    // 503 — the sender resends that, and the resend is then a duplicate. Never a second 202.
    expect(statuses.filter((s) => s !== 202 && s !== 200 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const ids = new Set(answers.filter((a) => a.status !== 503).map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before + 1);
  });

  it('when 20 identical token-mode bodies arrive at once, then exactly one job is queued', async () => {
    const body = JSON.stringify({
      token: 'test-token-1',
      timestamp: timenow(),
      symbol: 'SOLUSDT',
      action: 'buy',
      quantity: 2,
      price: 150,
    });
    const before = await countSignalJobs(app.redis, app.prefix);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app.url).post('/webhook').set('content-type', 'text/plain').send(body),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before + 1);
  });

  it('when a claimed nonce was abandoned (its request died before queueing), then a later resend is queued', async () => {
    const body = JSON.stringify({ symbol: 'XRPUSDT', action: 'buy', quantity: 5, price: 0.5 });
    const headers = signedHeaders(body, { id: 'msg_abandoned' });
    const { signalIdFromNonce } = await import('../../../src/signals/signal-id');
    const signalId = signalIdFromNonce('hmac:msg_abandoned');
    // A claim made 10 s ago whose job never appeared: what a crashed request leaves behind.
    await app.redis.set(`${app.prefix}:nonce:${signalId}`, String(Date.now() - 10_000), 'PX', 600_000);
    const res = await request(app.url).post('/webhook').set(headers).send(body);
    expect(res.status).toBe(202);
    expect(res.body.id).toBe(signalId);
  });

  it('when a claim is fresh (another request is queueing it right now), then the resend is a duplicate', async () => {
    const body = JSON.stringify({ symbol: 'XRPUSDT', action: 'buy', quantity: 5, price: 0.5 });
    const headers = signedHeaders(body, { id: 'msg_inflight' });
    const { signalIdFromNonce } = await import('../../../src/signals/signal-id');
    await app.redis.set(
      `${app.prefix}:nonce:${signalIdFromNonce('hmac:msg_inflight')}`,
      String(Date.now()),
      'PX',
      600_000,
    );
    const res = await request(app.url).post('/webhook').set(headers).send(body);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('duplicate');
  });
});
