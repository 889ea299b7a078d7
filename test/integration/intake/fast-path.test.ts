import request from 'supertest';
import { type TestApp, startTestApp } from '../../support/test-app';
import { webhookAlert as alert } from '../../support/webhook-alert';

/** The webhook and /health answer on plain Node http (webhook-fast-path.ts) with what Express gave them. */
describe('the webhook fast path', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('fast-path', { RATE_LIMIT_PER_MINUTE: '50' });
  });
  afterAll(() => app.close());

  it('when an alert is queued, then the answer carries the rate-limit, security and request-id headers', async () => {
    const res = await request(app.url)
      .post('/webhook')
      .set('content-type', 'application/json')
      .set('x-request-id', 'proxy-req-12345')
      .send(alert('fp-1'));
    expect(res.status).toBe(202);
    expect(res.headers).toMatchObject({
      'ratelimit-policy': '50;w=60',
      // Other tests of this file may have spent some of the window first (random order).
      ratelimit: expect.stringMatching(/^limit=50, remaining=(?:[0-4]?\d), reset=\d+$/),
      'x-request-id': 'proxy-req-12345',
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when the token is in the path, then it is decoded and checked', async () => {
    // No token in the body: JSON leaves an undefined field out.
    const body = alert('fp-2', { token: undefined });
    const ok = await request(app.url)
      .post('/webhook/test%2Dtoken%2D1')
      .set('content-type', 'text/plain')
      .send(body);
    expect(ok.status).toBe(202);
    const bad = await request(app.url)
      .post('/webhook/nope-nope-nope')
      .set('content-type', 'text/plain')
      .send(body);
    expect(bad.status).toBe(401);
  });

  it.each(['/webhook/a/b', '/webhookx'])(
    'when the path is %s, then Express answers 404 JSON',
    async (path) => {
      const res = await request(app.url)
        .post(path)
        .set('content-type', 'application/json')
        .send(alert('fp-3'));
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    },
  );

  it('when /health is asked with HEAD or a query string, then 200', async () => {
    expect((await request(app.url).head('/health')).status).toBe(200);
    expect((await request(app.url).get('/health?probe=1')).body).toEqual({ status: 'ok' });
  });
});
