import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../../src/config/config';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { captureLogs } from '../../support/log-capture';
import { timenow } from '../../support/test-app';

/** A throwaway redis-server of our own, so the test can stop and restart "Redis". */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    child.on('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
  });
}

async function stopRedis(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('when Redis goes away', () => {
  let port: number;
  let redis: ChildProcess;
  let web: WebProcess;
  const logs = captureLogs();

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    const config = loadConfig({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      WEBHOOK_TOKENS: 'outage-token',
      PORT: '0',
      QUEUE_PREFIX: 'outage',
    });
    web = await startWeb(config, logs.logger);
  });
  afterAll(async () => {
    await web.close(500);
    if (redis.exitCode === null) await stopRedis(redis);
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

    await stopRedis(redis);
    const down = await send('during');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'unavailable', message: expect.stringContaining('send it again') });
    expect((await request(`http://127.0.0.1:${web.port}`).get('/ready')).status).toBe(503);

    redis = await startRedis(port);
    // The client reconnects by itself; the resend of the refused alert is then queued, not a duplicate.
    let status = 0;
    for (let i = 0; i < 60 && status !== 202; i++) {
      status = (await send('during')).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(202);
  });
});
