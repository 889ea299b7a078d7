import request from 'supertest';
import { type TestApp, countSignalJobs, startTestApp, timenow } from '../../support/test-app';

const alert = (extra: Record<string, unknown> = {}) => ({
  token: 'test-token-1',
  timestamp: timenow(),
  symbol: 'BINANCE:BTCUSDT',
  action: 'buy',
  quantity: '0.01',
  price: '65000',
  ...extra,
});

describe('token-mode intake (TradingView)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('token');
  });
  afterAll(() => app.close());

  const post = (body: unknown, path = '/webhook') =>
    request(app.url).post(path).set('content-type', 'application/json').send(JSON.stringify(body));

  it('when the token in the body matches, then the alert is queued with 202 and an id', async () => {
    const res = await post(alert());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^sig_[0-9a-f]{24}$/), status: 'queued' });
  });

  it('when the second configured token is used, then it is accepted too', async () => {
    expect((await post(alert({ token: 'test-token-2' }))).status).toBe(202);
  });

  it('when the token comes as passphrase, then it is accepted', async () => {
    const { token: _t, ...rest } = alert();
    expect((await post({ ...rest, passphrase: 'test-token-1' })).status).toBe(202);
  });

  it('when the token is in the URL path, then it is accepted', async () => {
    const { token: _t, ...rest } = alert();
    expect((await post(rest, '/webhook/test-token-2')).status).toBe(202);
  });

  it.each([
    ['a wrong token', { token: 'nope' }, 'bad_token'],
    ['no token at all', { token: undefined }, 'missing_credentials'],
    ['no timestamp', { timestamp: undefined }, 'timestamp_missing'],
    ['a stale timestamp', { timestamp: timenow(-301) }, 'timestamp_stale'],
    ['a timestamp in the future', { timestamp: timenow(305) }, 'timestamp_in_future'],
    ['a malformed timestamp', { timestamp: 'yesterday' }, 'timestamp_malformed'],
    ['an unreplaced {{timenow}}', { timestamp: '{{timenow}}' }, 'timestamp_malformed'],
  ])(
    'when the alert has %s, then 401 with a generic body and the reason only in the log',
    async (_name, extra, reason) => {
      const before = await countSignalJobs(app.redis, app.prefix);
      const res = await post(alert(extra));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: 'authentication failed' });
      expect(
        app.logs.lines.some(
          (l) => l.includes(`"reason":"${reason}"`) && l.includes(res.headers['x-request-id']),
        ),
      ).toBe(true);
      expect(await countSignalJobs(app.redis, app.prefix)).toBe(before);
    },
  );

  it('when the path token is wrong but the body token right, then the path token decides (401)', async () => {
    expect((await post(alert(), '/webhook/wrong')).status).toBe(401);
  });

  it.each([
    ['unix seconds', () => Math.floor(Date.now() / 1000)],
    ['unix milliseconds', () => Date.now()],
    ['unix seconds as a string', () => String(Math.floor(Date.now() / 1000))],
  ])('when the timestamp is %s, then it is accepted', async (_name, ts) => {
    expect((await post(alert({ timestamp: ts(), id: `ts-${_name}` }))).status).toBe(202);
  });

  it('when the same body is sent twice, then the second is a duplicate with the same id and nothing more is queued', async () => {
    const body = alert({ quantity: '0.02' });
    const first = await post(body);
    const jobs = await countSignalJobs(app.redis, app.prefix);
    const second = await post(body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ id: first.body.id, status: 'duplicate' });
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(jobs);
  });

  it('when two different bodies carry the same id, then the second is a duplicate', async () => {
    const first = await post(alert({ id: 'order-42-2024' }));
    const second = await post(alert({ id: 'order-42-2024', quantity: '0.05' }));
    expect(first.status).toBe(202);
    expect(second.body).toEqual({ id: first.body.id, status: 'duplicate' });
  });
});

describe('token-mode options', () => {
  it('when ALLOW_TOKEN_AUTH=false, then a correct token is refused', async () => {
    const app = await startTestApp('token-off', { ALLOW_TOKEN_AUTH: 'false' });
    try {
      const res = await request(app.url)
        .post('/webhook')
        .set('content-type', 'application/json')
        .send(JSON.stringify(alert()));
      expect(res.status).toBe(401);
      expect(app.logs.text()).toContain('token_auth_disabled');
    } finally {
      await app.close();
    }
  });

  it('when REQUIRE_TIMESTAMP=false, then an alert without timestamp is accepted', async () => {
    const app = await startTestApp('token-nots', { REQUIRE_TIMESTAMP: 'false' });
    try {
      const res = await request(app.url)
        .post('/webhook')
        .set('content-type', 'application/json')
        .send(JSON.stringify(alert({ timestamp: undefined })));
      expect(res.status).toBe(202);
    } finally {
      await app.close();
    }
  });
});
