import { type IncomingMessage, get } from 'node:http';
import { Redis } from 'ioredis';
import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { loadConfig } from '../../../src/config/config';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { captureLogs } from '../../support/log-capture';
import { type OwnRedis, startOwnRedis } from '../../support/own-redis';
import { type TestApp, startTestApp } from '../../support/test-app';

/** One management request of each kind that needs Redis: authentication, the stores, the cookie, the stream. */
interface Call {
  name: string;
  send: () => request.Test;
  /** Its status once Redis is back. */
  healthy: number;
}

describe('the management API when Redis goes away', () => {
  let redis: OwnRedis;
  let web: WebProcess;
  let admin: string;
  let cookie: string;
  const logs = captureLogs();
  const prefix = 'api-outage';

  beforeAll(async () => {
    // Persistent, as a production Redis (AOF): the key issued before the outage is still there after it.
    redis = await startOwnRedis({ persist: true });
    const config = loadConfig({
      REDIS_URL: redis.url,
      WEBHOOK_TOKENS: 'outage-token',
      ALLOW_INSECURE_WEBHOOK_URLS: 'true',
      PORT: '0',
      QUEUE_PREFIX: prefix,
    });
    web = await startWeb(config, logs.logger, { management: { events: { pollMs: 10 } } });
    await web.app(); // loaded before the outage, as a web that has served the API has it
    const client = new Redis(redis.url);
    try {
      admin = (await issueKey(client, prefix, 'admin')).key;
    } finally {
      client.disconnect();
    }
  });
  afterAll(async () => {
    await web?.close(500);
    await redis?.close();
  });

  const http = () => request(`http://127.0.0.1:${web.port}`);
  const api = (path: string) => `${API_BASE_PATH}${path}`;
  const bearer = () => `Bearer ${admin}`;
  let hooks = 0;
  const calls: Call[] = [
    {
      name: 'GET /signals',
      healthy: 200,
      send: () => http().get(api('/signals')).set('authorization', bearer()),
    },
    {
      name: 'GET /accounts',
      healthy: 200,
      send: () => http().get(api('/accounts')).set('authorization', bearer()),
    },
    {
      name: 'POST /subscriptions',
      healthy: 201,
      send: () =>
        http()
          .post(api('/subscriptions'))
          .set('authorization', bearer())
          .send({ url: `http://127.0.0.1:9/hook-${++hooks}`, events: ['signal.filled'] }),
    },
    {
      name: 'POST /session (sign-in)',
      healthy: 204,
      send: () => http().post(api('/session')).send({ apiKey: admin }),
    },
    {
      name: 'GET /session (cookie)',
      healthy: 200,
      send: () => http().get(api('/session')).set('cookie', cookie),
    },
    {
      name: 'GET /events (SSE)',
      healthy: 200,
      send: () => http().get(api('/events')).query({ follow: 'false' }).set('authorization', bearer()),
    },
    {
      name: 'GET /system',
      healthy: 200,
      send: () => http().get(api('/system')).set('authorization', bearer()),
    },
    {
      name: 'GET /admin/queues',
      healthy: 200,
      send: () => http().get('/admin/queues').set('authorization', bearer()),
    },
  ];

  /** The live event stream, held open: its answer once the headers arrive. */
  const openStream = () =>
    new Promise<{ res: IncomingMessage; ended: () => boolean; close: () => void }>((resolve, reject) => {
      const req = get(
        `http://127.0.0.1:${web.port}${api('/events')}`,
        { headers: { authorization: bearer() } },
        (res) => {
          let ended = false;
          res.on('end', () => (ended = true)).resume();
          resolve({ res, ended: () => ended, close: () => res.destroy() });
        },
      );
      req.on('error', reject);
    });

  it('then every route answers 503 unavailable with Retry-After, logs no stack and no key, and works again once Redis is back', async () => {
    const signIn = await http().post(api('/session')).send({ apiKey: admin }).expect(204);
    cookie = String(signIn.headers['set-cookie']).split(';')[0];

    const live = await openStream();
    expect(live.res.statusCode).toBe(200);

    await redis.stop();
    const down: Array<[string, number, unknown, unknown]> = [];
    for (const call of calls) {
      const res = await call.send();
      down.push([call.name, res.status, res.headers['retry-after'], res.body]);
    }
    // The SSE route with no position reads the stream's head first: that too is a 503, not an open stream.
    const stream = await http().get(api('/events')).set('authorization', bearer());
    down.push(['GET /events (follow)', stream.status, stream.headers['retry-after'], stream.body]);
    const unavailable = { error: 'unavailable', message: expect.stringMatching(/Redis.*retry/) };
    expect(down).toEqual(down.map(([name]) => [name, 503, '5', unavailable]));

    const text = logs.text();
    expect(text).not.toMatch(/"stack"|api error|internal_error/);
    expect(text).not.toContain(admin);
    expect(text).not.toContain(cookie.split('=')[1]);
    // One warning per answer.
    const warned = logs.lines.filter((l) => l.includes('"api request unavailable"'));
    expect(warned.length).toBe(down.length);

    // The open stream sees the outage before Redis is back: at once, or, when its read was in flight at the
    // kill, once ioredis stops holding that read for a resend (its next failed reconnection, at the latest
    // the 1.5 s command timeout). Restarted sooner, the held read succeeded, the stream never saw the outage
    // and never said "reading again": the wait below failed after 10 s in about one run in eight.
    await logs.waitFor((l) => l.includes('"event stream read failed"'));

    await redis.restart();
    // The web's two connections come back by themselves (no restart of the web).
    const back = (connection: string) =>
      logs.waitFor((l) => l.includes('Redis connection back') && l.includes(`"connection":"${connection}"`));
    await Promise.all([back('tradehook-web'), back('tradehook-web-queue')]);
    // A stream open through the outage stays open, and says once (not at every poll) that reads failed.
    await logs.waitFor((l) => l.includes('"event stream reading again"'));
    expect(logs.lines.filter((l) => l.includes('"event stream read failed"')).length).toBe(1);
    expect(live.ended()).toBe(false);
    live.close();
    const up: Array<[string, number]> = [];
    for (const call of calls) up.push([call.name, (await call.send()).status]);
    expect(up).toEqual(calls.map((c) => [c.name, c.healthy]));
  }, 40_000);
});

describe('the management API when Redis answers but a command fails', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('api-not-outage');
  });
  afterAll(() => app.close());

  it('then it is a bug, not an outage: 500 internal_error with the stack logged, no Retry-After', async () => {
    const admin = (await issueKey(app.redis, app.prefix, 'admin')).key;
    // The audit stream's key holding a string: reading it fails with WRONGTYPE, a Redis that is up.
    await app.redis.set(redisKeys(app.prefix).audit, 'not a stream');

    const res = await request(app.url).get(`${API_BASE_PATH}/audit`).set('authorization', `Bearer ${admin}`);

    expect([res.status, res.body.error, res.headers['retry-after']]).toEqual([
      500,
      'internal_error',
      undefined,
    ]);
    const logged = app.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.message === 'api error')).toMatchObject({
      error: expect.stringMatching(/^WRONGTYPE/),
      stack: expect.any(String),
    });
  });
});
