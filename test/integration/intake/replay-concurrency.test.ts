import request from 'supertest';
import { SignalQueue } from '../../../src/queue/signal-queue';
import { signalIdFromNonce } from '../../../src/signals/signal-id';
import { signalEnvelope } from '../../support/seed-signal';
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
    const signalId = signalIdFromNonce('hmac:msg_abandoned');
    // A claim made 10 s ago whose job never appeared: what a crashed request leaves behind.
    await app.redis.set(`${app.prefix}:nonce:${signalId}`, String(Date.now() - 10_000), 'PX', 600_000);
    const res = await request(app.url).post('/webhook').set(headers).send(body);
    expect(res.status).toBe(202);
    expect(res.body.id).toBe(signalId);
  });

  /**
   * A claim without a job is a request queueing the alert right now, or one that failed and could not release
   * its claim (Redis failed under it). A resend waits for it to settle: answering it "duplicate" while nothing
   * is queued would lose the alert (the sender does not resend after a 200).
   */
  describe('a resend that finds a fresh claim without a job', () => {
    const inflight = (name: string, claimedAgoMs = 0, fields: Record<string, unknown> = {}) => {
      const body = JSON.stringify({ symbol: 'XRPUSDT', action: 'buy', quantity: 5, price: 0.5, ...fields });
      const headers = signedHeaders(body, { id: name });
      const signalId = signalIdFromNonce(`hmac:${name}`);
      const key = `${app.prefix}:nonce:${signalId}`;
      const claim = () => app.redis.set(key, String(Date.now() - claimedAgoMs), 'PX', 600_000);
      const send = () => request(app.url).post('/webhook').set(headers).send(body);
      return { signalId, key, claim, send };
    };
    const later = (ms: number, act: () => Promise<unknown>) =>
      new Promise<void>((resolve, reject) => setTimeout(() => act().then(() => resolve(), reject), ms));

    it('when the claiming request queues its job meanwhile, then the resend is a duplicate', async () => {
      const alert = inflight('msg_inflight_queued');
      await alert.claim();
      const queue = new SignalQueue(app.redis, app.prefix);
      try {
        const [res] = await Promise.all([
          alert.send(),
          later(300, () => queue.enqueue(signalEnvelope(alert.signalId, { alert: { symbol: 'XRPUSDT' } }))),
        ]);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: alert.signalId, status: 'duplicate' });
      } finally {
        await queue.close();
      }
    });

    it('when the claiming request releases it meanwhile (its queueing failed), then the resend is queued', async () => {
      const alert = inflight('msg_inflight_released');
      await alert.claim();
      const [res] = await Promise.all([alert.send(), later(300, () => app.redis.del(alert.key))]);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: alert.signalId, status: 'queued' });
    });

    it('when an invalid resend finds the claim released meanwhile, then it is answered 400 and claims nothing', async () => {
      const alert = inflight('msg_inflight_invalid', 0, { action: 'hold' });
      await alert.claim();
      const [res] = await Promise.all([alert.send(), later(300, () => app.redis.del(alert.key))]);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_signal');
      expect(await app.redis.exists(alert.key)).toBe(0);
    });

    it('when the claim turns stale while the resend waits (its request died), then the resend is queued', async () => {
      const alert = inflight('msg_inflight_stale', 4_600);
      await alert.claim();
      const res = await alert.send();
      expect(res.status).toBe(202);
      expect(res.body.id).toBe(alert.signalId);
    });

    it('when the claim neither queues nor goes away, then 503 (the sender resends), and nothing is queued', async () => {
      const alert = inflight('msg_inflight_stuck');
      await alert.claim();
      const before = await countSignalJobs(app.redis, app.prefix);
      const res = await alert.send();
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'unavailable', message: expect.any(String) });
      expect(await countSignalJobs(app.redis, app.prefix)).toBe(before);
      expect(app.logs.text()).toContain('has not queued it');
    });
  });
});
