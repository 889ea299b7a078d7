import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../../src/config/config';
import { type WorkerProcess, startWorker } from '../../../src/main/worker-process';
import { FAST_POLICY, FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { captureLogs } from '../../support/log-capture';
import { type TestApp, eventually, startTestApp, timenow } from '../../support/test-app';
import { REDIS_URL } from '../../support/test-redis';

const ROOT = join(__dirname, '../../..');
const TOKEN = 'crash-test-token';

function spawnWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  // node itself with tsx's loader: the tsx CLI would run the script in a child process that SIGKILL misses.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/worker-child.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

describe('a worker killed in the middle of placing an order', () => {
  const fake = new FakeBinance('binance');
  let app: TestApp;
  let env: Record<string, string>;
  let rescuer: WorkerProcess | undefined;
  let victim: ReturnType<typeof spawnWorker> | undefined;

  beforeAll(async () => {
    await fake.start();
    const accounts = JSON.stringify([makeCcxtAccount(fake, { id: 'bn' })]);
    app = await startTestApp('crash', { ACCOUNTS: accounts, WEBHOOK_TOKENS: TOKEN });
    env = {
      REDIS_URL,
      QUEUE_PREFIX: app.prefix,
      ACCOUNTS: accounts,
      WEBHOOK_TOKENS: TOKEN,
      NODE_ENV: 'production',
    };
  });
  afterAll(async () => {
    victim?.child.kill('SIGKILL');
    await rescuer?.close();
    await app.close();
    await fake.close();
  });

  it('when it dies after the exchange took the order, then another worker adopts that order instead of placing a second', async () => {
    // The exchange processes the order at once but answers only much later: the worker dies in between.
    fake.failNext('createOrder', { delayAfterProcessingMs: 30_000 });
    victim = spawnWorker({ ...env, TEST_LOCK_MS: '1000' });
    await eventually(
      async () => (victim!.output().includes('child worker ready') ? true : undefined),
      15_000,
    );

    const res = await request(app.url)
      .post('/webhook')
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          token: TOKEN,
          timestamp: timenow(),
          symbol: 'BTCUSDT',
          action: 'buy',
          quantity: 0.01,
        }),
      );
    expect(res.status).toBe(202);
    await eventually(async () => (fake.requestsFor('createOrder').length === 1 ? true : undefined), 10_000);
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim!.child.once('exit', resolve));

    const logs = captureLogs();
    rescuer = await startWorker(loadConfig({ ...env, PORT: '0' }), logs.logger, {
      sessions: { policy: FAST_POLICY },
      workers: { lockDurationMs: 1000, stalledIntervalMs: 500 },
    });
    const done = await eventually(async () => {
      const h = await app.redis.hgetall(`${app.prefix}:signal:${res.body.id}`);
      return h.status === 'filled' ? h : undefined;
    }, 25_000); // generous: the machine may be busy; the order of events below is the evidence

    expect(fake.requestsFor('createOrder')).toHaveLength(1);
    expect(Number(done.attempts)).toBe(2);
    const [order] = JSON.parse(done.orders);
    const placed = fake.requestsFor('createOrder')[0].params;
    expect(order.clientOrderId).toBe(placed.newClientOrderId);
    expect(order.filled).toBeCloseTo(0.01, 8);
    expect(logs.text()).toContain('order adopted');
    // The first run sent its order without a lookup (nothing could carry the id yet); the re-run looked first.
    const createdAt = fake.requestsFor('createOrder')[0].at;
    const lookups = fake
      .requestsFor('queryOrder')
      .filter((r) => r.params.origClientOrderId === placed.newClientOrderId);
    expect(lookups.filter((r) => r.at < createdAt)).toHaveLength(0);
    expect(lookups.filter((r) => r.at > createdAt).length).toBeGreaterThanOrEqual(1);
    expect(victim.output()).toContain('signal started');
  }, 45_000);
});
