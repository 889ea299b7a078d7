import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../../src/config/config';
import { startWeb } from '../../../src/main/web-process';
import { captureLogs } from '../../support/log-capture';
import { type TestApp, countSignalJobs, startTestApp } from '../../support/test-app';
import { REDIS_URL } from '../../support/test-redis';
import { webhookAlert } from '../../support/webhook-alert';

/** A webhook body: a buy of 1 BTCUSDT at 10 with the test token, under an id of its own unless `extra` names one. */
const alert = (extra: Record<string, unknown> = {}) =>
  webhookAlert(`hg-${randomUUID()}`, { price: 10, ...extra });

describe('content types and bodies', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('http', { BODY_LIMIT: '2kb' });
  });
  afterAll(() => app.close());

  const post = (body: string | Buffer, contentType?: string) => {
    const req = request(app.url).post('/webhook');
    if (contentType) req.set('content-type', contentType);
    return req.send(body);
  };

  it('when JSON arrives as text/plain (as TradingView sends it), then it is accepted', async () => {
    expect((await post(alert({ id: 'tp-1' }), 'text/plain; charset=utf-8')).status).toBe(202);
  });

  it('when application/json carries a charset, then it is accepted', async () => {
    expect((await post(alert({ id: 'aj-1' }), 'application/json; charset=utf-8')).status).toBe(202);
  });

  it('when text/plain is not JSON, then 400 saying the message must be valid JSON', async () => {
    const res = await post('BTCUSDT buy 0.01', 'text/plain');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
    expect(res.body.message).toMatch(/must be valid JSON/);
  });

  it('when the JSON is not an object, then 400 naming the expected shape', async () => {
    const res = await post('[1,2]', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/must be a JSON object/);
  });

  it('when the body is empty, then 400', async () => {
    const res = await post('', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/empty/);
  });

  it.each(['application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])(
    'when the content type is %s, then 415',
    async (type) => {
      const res = await post(alert(), type);
      expect(res.status).toBe(415);
      expect(res.body.error).toBe('unsupported_media_type');
    },
  );

  it('when there is no content type, then 415', async () => {
    const res = await request(app.url).post('/webhook').send(Buffer.from(alert()));
    expect(res.status).toBe(415);
  });

  it('when the body exceeds BODY_LIMIT, then 413 and nothing is queued', async () => {
    const before = await countSignalJobs(app.redis, app.prefix);
    const res = await post(
      alert({ comment: 'x'.repeat(400), meta: { pad: 'y'.repeat(3000) } }),
      'application/json',
    );
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before);
  });

  it('when the alert is invalid, then 400 invalid_signal lists every field problem and nothing is queued', async () => {
    const before = await countSignalJobs(app.redis, app.prefix);
    const res = await post(
      alert({ qty: 1, quantity: undefined, type: 'limit', price: undefined, action: 'hodl' }),
      'application/json',
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_signal');
    const paths = res.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['qty', 'action']));
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before);
  });

  it('when an invalid alert is corrected and resent with the same id, then the resend is queued (not a duplicate)', async () => {
    const bad = await post(alert({ id: 'fix-me', quantity: 'abc' }), 'application/json');
    expect(bad.status).toBe(400);
    const good = await post(alert({ id: 'fix-me' }), 'application/json');
    expect(good.status).toBe(202);
  });

  it('when the account is not configured, then 400 names it', async () => {
    const res = await post(alert({ account: 'nope' }), 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { path: 'account', message: expect.stringContaining('"nope" is not a configured account') },
    ]);
  });

  it('when a route does not exist, then 404 JSON', async () => {
    const res = await request(app.url).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('when answering, then helmet headers are set, x-powered-by is not, and a request id is echoed', async () => {
    const res = await request(app.url).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when GET /ready with Redis up and a fresh worker heartbeat, then 200', async () => {
    await app.redis.hset(`${app.prefix}:workers`, 'w1', String(Date.now()));
    const res = await request(app.url).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks).toEqual(expect.arrayContaining([{ name: 'redis', ok: true, critical: true }]));
  });

  it('when no worker has a fresh heartbeat, then /ready is 200 degraded (alerts still queue) and says why', async () => {
    await app.redis.del(`${app.prefix}:workers`);
    const res = await request(app.url).get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'worker', ok: false })]),
    );
  });
});

describe('rate limit', () => {
  it('when a client exceeds RATE_LIMIT_PER_MINUTE across two web processes, then 429 with Retry-After: the count is shared through Redis', async () => {
    const app = await startTestApp('ratelimit', { RATE_LIMIT_PER_MINUTE: '3' });
    // A second web process on the same Redis and prefix, as on Heroku with two web dynos.
    const other = await startWeb(
      loadConfig({
        REDIS_URL,
        WEBHOOK_TOKENS: 'test-token-1',
        RATE_LIMIT_PER_MINUTE: '3',
        PORT: '0',
        QUEUE_PREFIX: app.prefix,
      }),
      captureLogs().logger,
    );
    const otherUrl = `http://127.0.0.1:${other.port}`;
    const send = (url: string, id: string) =>
      request(url).post('/webhook').set('content-type', 'application/json').send(alert({ id }));
    try {
      const statuses = [
        (await send(app.url, 'rl-1')).status,
        (await send(otherUrl, 'rl-2')).status,
        (await send(app.url, 'rl-3')).status,
      ];
      // Each process alone has seen at most 2 requests: only a shared count refuses the fourth.
      const limited = await send(otherUrl, 'rl-4');
      expect(statuses).toEqual([202, 202, 202]);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body.error).toBe('rate_limited');
    } finally {
      await other.close(500);
      await app.close();
    }
  });
});

describe('IP allowlist', () => {
  it('when behind one trusted proxy, then X-Forwarded-For decides', async () => {
    const app = await startTestApp('ip-proxy', { IP_ALLOWLIST: 'tradingview,10.0.0.0/8', TRUST_PROXY: '1' });
    try {
      const send = (xff: string, id: string) =>
        request(app.url)
          .post('/webhook')
          .set('content-type', 'application/json')
          .set('x-forwarded-for', xff)
          .send(alert({ id }));
      expect((await send('52.89.214.238', 'ip-1')).status).toBe(202);
      expect((await send('10.1.2.3', 'ip-2')).status).toBe(202);
      const denied = await send('203.0.113.9', 'ip-3');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('forbidden');
      // A client cannot spoof its way in by prepending an allowed address: only the last hop is trusted.
      expect((await send('52.89.214.238, 203.0.113.9', 'ip-4')).status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('when no proxy is trusted, then X-Forwarded-For is ignored', async () => {
    const app = await startTestApp('ip-direct', { IP_ALLOWLIST: 'tradingview' });
    try {
      const res = await request(app.url)
        .post('/webhook')
        .set('content-type', 'application/json')
        .set('x-forwarded-for', '52.89.214.238')
        .send(alert());
      expect(res.status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('when the allowlist holds the loopback address, then direct requests pass', async () => {
    const app = await startTestApp('ip-loop', { IP_ALLOWLIST: '127.0.0.1' });
    try {
      expect(
        (await request(app.url).post('/webhook').set('content-type', 'application/json').send(alert()))
          .status,
      ).toBe(202);
    } finally {
      await app.close();
    }
  });
});
