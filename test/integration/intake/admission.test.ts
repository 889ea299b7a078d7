import request from 'supertest';
import { signalIdFromNonce } from '../../../src/signals/signal-id';
import { type TestApp, countSignalJobs, startTestApp } from '../../support/test-app';
import { webhookAlert as alert } from '../../support/webhook-alert';

/**
 * The rate limit (step 2) and the nonce claim (step 6) run in one Redis script after the checks that need
 * no Redis; the answers stay those of the contract's order. Each test speaks from an address of its own
 * (one trusted proxy, X-Forwarded-For), so the tests of this file share no rate-limit window.
 */
describe('rate limit and nonce claim in one round trip', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('admission', { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '1' });
  });
  afterAll(() => app.close());

  const send = (ip: string, body: string, headers: Record<string, string> = {}) =>
    request(app.url)
      .post('/webhook')
      .set('content-type', 'application/json')
      .set('x-forwarded-for', ip)
      .set(headers)
      .send(body);

  it('when a client over the limit also sends a bad token or a compressed body, then 429 (the limit comes first)', async () => {
    const ip = '198.51.100.1';
    expect((await send(ip, alert('adm-1-a'))).status).toBe(202);
    const unauthorized = await send(ip, alert('adm-1-b', { token: 'wrong' }));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.ratelimit).toMatch(/^limit=2, remaining=0, reset=\d+$/);
    const limited = await send(ip, alert('adm-1-c', { token: 'wrong' }));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const compressed = await send(ip, alert('adm-1-d'), { 'content-encoding': 'gzip' });
    expect(compressed.status).toBe(429);
  });

  it('when an alert is refused for the rate limit, then it claimed nothing: the same alert from another client is queued', async () => {
    await send('198.51.100.2', alert('adm-2-a'));
    await send('198.51.100.2', alert('adm-2-b'));
    const limited = await send('198.51.100.2', alert('adm-2-c'));
    expect(limited.status).toBe(429);
    const other = await send('198.51.100.3', alert('adm-2-c'));
    expect(other.status).toBe(202);
    expect(other.body.id).toBe(signalIdFromNonce('id:adm-2-c'));
  });

  it('when a queued alert is resent invalid, then it is a duplicate; an invalid alert claims nothing', async () => {
    const before = await countSignalJobs(app.redis, app.prefix);
    expect((await send('198.51.100.4', alert('adm-3-a'))).status).toBe(202);
    const resent = await send('198.51.100.4', alert('adm-3-a', { action: 'hold' }));
    expect(resent.status).toBe(200);
    expect(resent.body.status).toBe('duplicate');

    const invalid = await send('198.51.100.5', alert('adm-3-b', { action: 'hold' }));
    expect(invalid.status).toBe(400);
    expect(await app.redis.exists(`${app.prefix}:nonce:${signalIdFromNonce('id:adm-3-b')}`)).toBe(0);
    expect((await send('198.51.100.5', alert('adm-3-b'))).status).toBe(202);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before + 2);
  });

  it('when an invalid alert meets an abandoned claim (its request died before queueing), then 400, and the claim is left to the corrected resend', async () => {
    const signalId = signalIdFromNonce('id:adm-4');
    await app.redis.set(`${app.prefix}:nonce:${signalId}`, String(Date.now() - 10_000), 'PX', 600_000);
    expect((await send('198.51.100.6', alert('adm-4', { action: 'hold' }))).status).toBe(400);
    const corrected = await send('198.51.100.6', alert('adm-4'));
    expect(corrected.status).toBe(202);
    expect(corrected.body.id).toBe(signalId);
  });
});
