import request from 'supertest';
import { loadConfig } from '../../../src/config/config';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { captureLogs } from '../../support/log-capture';
import { type OwnRedis, startOwnRedis } from '../../support/own-redis';
import { timenow } from '../../support/test-app';

describe('when Redis goes away', () => {
  let redis: OwnRedis;
  let web: WebProcess;
  const logs = captureLogs();

  beforeAll(async () => {
    redis = await startOwnRedis();
    const config = loadConfig({
      REDIS_URL: redis.url,
      WEBHOOK_TOKENS: 'outage-token',
      PORT: '0',
      QUEUE_PREFIX: 'outage',
    });
    web = await startWeb(config, logs.logger);
  });
  afterAll(async () => {
    await web.close(500);
    await redis.stop();
  });

  const send = (id: string) =>
    request(`http://127.0.0.1:${web.port}`)
      .post('/webhook')
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          token: 'outage-token',
          timestamp: timenow(),
          id,
          symbol: 'BTCUSDT',
          action: 'buy',
          quantity: 1,
          price: 1,
        }),
      );

  it('then alerts get 503 fast (never a hang or a 500), /ready says so, and intake recovers when Redis is back', async () => {
    expect((await send('before')).status).toBe(202);

    await redis.stop();
    const down = await send('during');
    expect(down.status).toBe(503);
    // More requests during the outage: each is answered, none adds a log line about the outage.
    expect((await send('during-2')).status).toBe(503);
    expect((await send('during-3')).status).toBe(503);
    expect(down.body).toEqual({ error: 'unavailable', message: expect.stringContaining('send it again') });
    expect((await request(`http://127.0.0.1:${web.port}`).get('/ready')).status).toBe(503);

    await redis.restart();
    // The client reconnects by itself; the resend of the refused alert is then queued, not a duplicate.
    let status = 0;
    for (let i = 0; i < 60 && status !== 202; i++) {
      status = (await send('during')).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(202);

    // One warning per connection when it is lost and one when it is back; the rate limiter says once that
    // it stops counting and once that it counts again — no line per retry or request, no stack.
    const entries = logs.lines.map((l) => JSON.parse(l) as { message: string; connection?: string });
    const count = (message: RegExp, connection?: string) =>
      entries.filter((e) => message.test(e.message) && e.connection === connection).length;
    for (const connection of ['tradehook-web', 'tradehook-web-queue']) {
      expect([connection, count(/^Redis connection lost/, connection)]).toEqual([connection, 1]);
      expect([connection, count(/^Redis connection back/, connection)]).toEqual([connection, 1]);
    }
    expect(count(/rate limit off while Redis is unavailable/)).toBe(1);
    expect(count(/rate limit counting again/)).toBe(1);
    expect(logs.text()).not.toMatch(/"stack"|express-rate-limit|ERR_ERL/);
  });
});
