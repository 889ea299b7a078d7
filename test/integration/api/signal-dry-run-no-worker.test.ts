import request from 'supertest';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

/** The dry run's bounded wait: the web process alone, no worker to answer. */
describe('POST /api/v1/signals?dryRun=true without a worker', () => {
  let app: TestApp;
  let trader: string;
  const dryRun = () =>
    request(app.url)
      .post('/api/v1/signals?dryRun=true')
      .set('authorization', `Bearer ${trader}`)
      .send({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.001, price: 60000 });

  beforeAll(async () => {
    app = await startTestApp('dry-run-no-worker', {}, { web: { management: { dryRunTimeoutMs: 400 } } });
    trader = (await issueKey(app.redis, app.prefix, 'trader')).key;
  });
  afterAll(() => app.close());
  beforeEach(() => app.redis.del(`${app.prefix}:workers`));

  it('when no worker has a heartbeat, then 503 worker_unavailable says so at once', async () => {
    const res = await dryRun().expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({
      error: 'worker_unavailable',
      message: 'no worker is running (no heartbeat in Redis): start one with `npm run worker`',
    });
  });

  it('when a worker beats but never answers, then 503 worker_unavailable after the bound, and the request is withdrawn', async () => {
    await app.redis.hset(`${app.prefix}:workers`, 'ghost', String(Date.now()));
    const started = Date.now();
    const res = await dryRun().expect(503);
    expect(res.body.error).toBe('worker_unavailable');
    expect(res.body.message).toMatch(/no worker answered within 0.4 s/);
    // Bounded: the answer comes after the wait and well before anything like a client timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    // Withdrawn: no job of it is left for a worker that comes later.
    const jobs = (await app.redis.keys(`${app.prefix}:dry-run:*`)).filter((k) => /:dry-run:\d+$/.test(k));
    expect(jobs).toEqual([]);
    expect(await app.redis.llen(`${app.prefix}:dry-run:wait`)).toBe(0);
  });

  it('when a worker’s heartbeat is stale, then 503 names its age', async () => {
    await app.redis.hset(`${app.prefix}:workers`, 'old', String(Date.now() - 120_000));
    const res = await dryRun().expect(503);
    expect(res.body.message).toMatch(/no worker heartbeat for 12\d s/);
  });
});
