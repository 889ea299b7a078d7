import request from 'supertest';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

let app: TestApp;
let viewer: string;

beforeAll(async () => {
  app = await startTestApp('system', {}, { worker: true });
  viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
});
afterAll(() => app.close());

describe('GET /api/v1/system', () => {
  it('when a worker runs, then it shows Redis, the worker heartbeat, every signal partition, breakers and paused accounts', async () => {
    await app.redis.hset(`${app.prefix}:paused`, 'default', String(Date.now()));

    const res = await request(app.url)
      .get('/api/v1/system')
      .set('authorization', `Bearer ${viewer}`)
      .expect(200);

    expect(res.body).toMatchObject({
      version: '0.1.0',
      redis: { ok: true, maxmemoryPolicy: expect.any(String) },
      workers: [{ id: expect.any(String), lastHeartbeatAt: expect.any(String) }],
      breakers: expect.any(Object),
      paused: ['default'],
    });
    expect(res.body.queues.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(Array.from({ length: 8 }, (_, p) => `signals-${p}`)),
    );
    expect(res.body.checks.map((c: { name: string }) => c.name)).toContain('worker');
  });
});
