import request from 'supertest';
import { TEST_SECRET_ROTATED, signedHeaders } from '../../support/sign';
import { type TestApp, countSignalJobs, startTestApp } from '../../support/test-app';

const BODY = JSON.stringify({ symbol: 'BTCUSDT', action: 'buy', quantity: '0.01', price: '65000' });

describe('HMAC-mode intake (Standard Webhooks)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('hmac');
  });
  afterAll(() => app.close());

  const post = (body: string, headers: Record<string, string>) =>
    request(app.url).post('/webhook').set(headers).send(body);

  const refusedWith = async (body: string, headers: Record<string, string>, reason: string) => {
    const before = await countSignalJobs(app.redis, app.prefix);
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: 'authentication failed' });
    const line = app.logs.lines.find((l) => l.includes(res.headers['x-request-id']));
    expect(line).toContain(`"reason":"${reason}"`);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(before);
  };

  it('when the signature is valid, then the alert is queued', async () => {
    const res = await post(BODY, signedHeaders(BODY));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
  });

  it('when signed with the rotated (raw string) secret, then it is accepted too', async () => {
    expect((await post(BODY, signedHeaders(BODY, { secret: TEST_SECRET_ROTATED }))).status).toBe(202);
  });

  it('when one of several signatures is valid, then it is accepted', async () => {
    const headers = signedHeaders(BODY);
    const wrong = signedHeaders(BODY, { secret: 'not-configured', id: headers['webhook-id'] });
    headers['webhook-signature'] = `v1,AAAA ${wrong['webhook-signature']} ${headers['webhook-signature']}`;
    expect((await post(BODY, headers)).status).toBe(202);
  });

  it('when signed with a secret that is not configured, then 401 bad_signature', async () => {
    await refusedWith(
      BODY,
      signedHeaders(BODY, { secret: 'whsec_b3RoZXItc2VjcmV0LTEyMzQ1Njc4OTA=' }),
      'bad_signature',
    );
  });

  it('when the body was tampered with after signing, then 401', async () => {
    await refusedWith(BODY.replace('0.01', '10'), signedHeaders(BODY), 'bad_signature');
  });

  it('when the body was re-serialised (same JSON, other bytes), then 401', async () => {
    const reserialised = JSON.stringify(JSON.parse(BODY), null, 2);
    await refusedWith(reserialised, signedHeaders(BODY), 'bad_signature');
  });

  it.each([
    ['webhook-id', 'missing_headers'],
    ['webhook-timestamp', 'missing_headers'],
  ])('when %s is missing, then 401 %s', async (header, reason) => {
    const headers = signedHeaders(BODY);
    delete headers[header];
    await refusedWith(BODY, headers, reason);
  });

  it.each([
    ['not base64', 'v1,!!!not-base64!!!', 'malformed_signature'],
    ['without a version', 'abcdef', 'malformed_signature'],
    ['of another version only', 'v2,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'malformed_signature'],
    ['empty (trimmed to nothing)', ' ', 'missing_headers'],
    ['of the right form but wrong', 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'bad_signature'],
  ])('when the signature header is %s, then 401', async (_name, value, reason) => {
    await refusedWith(BODY, { ...signedHeaders(BODY), 'webhook-signature': value }, reason);
  });

  it('when the timestamp header is not unix seconds, then 401', async () => {
    const headers = signedHeaders(BODY);
    await refusedWith(
      BODY,
      { ...headers, 'webhook-timestamp': '2024-01-01T00:00:00Z' },
      'malformed_timestamp',
    );
  });

  it.each([
    // 310, not 301: the header holds whole seconds, so `floor(now) + 301` can lie only 300.x s ahead of the
    // server's clock by the time the request arrives.
    ['stale', -310, 'timestamp_stale'],
    ['in the future', 310, 'timestamp_in_future'],
  ])('when the signed timestamp is %s, then 401', async (_name, offset, reason) => {
    await refusedWith(
      BODY,
      signedHeaders(BODY, { timestamp: Math.floor(Date.now() / 1000) + offset }),
      reason,
    );
  });

  it('when the timestamp is within the window in either direction, then accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(BODY, signedHeaders(BODY, { timestamp: now - 290 }))).status).toBe(202);
    expect((await post(BODY, signedHeaders(BODY, { timestamp: now + 290 }))).status).toBe(202);
  });

  it('when a signed request is replayed (same webhook-id), then 200 duplicate with the original id', async () => {
    const headers = signedHeaders(BODY);
    const first = await post(BODY, headers);
    const jobs = await countSignalJobs(app.redis, app.prefix);
    const replay = await post(BODY, headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ id: first.body.id, status: 'duplicate' });
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(jobs);
  });

  it('when a request carries a signature, then a valid body token does not rescue a bad signature', async () => {
    const body = JSON.stringify({
      ...JSON.parse(BODY),
      token: 'test-token-1',
      timestamp: new Date().toISOString(),
    });
    await refusedWith(
      body,
      { ...signedHeaders(body), 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      'bad_signature',
    );
  });
});

describe('HMAC mode without secrets', () => {
  it('when no WEBHOOK_SECRETS are configured, then a signed request is refused', async () => {
    const app = await startTestApp('hmac-none', { WEBHOOK_SECRETS: '' });
    try {
      const res = await request(app.url).post('/webhook').set(signedHeaders(BODY)).send(BODY);
      expect(res.status).toBe(401);
      expect(app.logs.text()).toContain('hmac_not_configured');
    } finally {
      await app.close();
    }
  });
});
