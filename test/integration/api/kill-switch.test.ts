import request from 'supertest';
import { type AccountConfig } from '../../../src/config/accounts';
import { type Config, loadConfig } from '../../../src/config/config';
import { type WorkerProcess, type WorkerTuning, startWorker } from '../../../src/main/worker-process';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { REDIS_URL } from '../../support/test-redis';
import { eventually } from '../../support/test-app';
import {
  type Engine,
  FAST_TUNING,
  TOKEN,
  clientIdOf,
  createOrdersFor,
  settle,
  startEngine,
} from '../engine/behaviour/engine-harness';

/**
 * The kill switch end to end: the real web process (API), the real worker, the offline paper exchange and
 * ccxt's real `binance` class against the fake Binance. Hold re-checks are shortened to tens of ms.
 */
const TUNING: WorkerTuning = {
  ...FAST_TUNING,
  retry: { ...FAST_TUNING.retry, holdBaseDelayMs: 20, holdMaxDelayMs: 50 },
};

describe('kill switch: pause, hold, resume', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;
  let config: Config;
  let worker: WorkerProcess | undefined;
  let trader: string;

  const accounts = (): AccountConfig[] => [
    { id: 'pp', exchange: 'paper', sandbox: false, paper: false, ccxt: {}, symbols: [] },
    makeCcxtAccount(fake, { id: 'bn', defaultType: 'spot' }),
  ];
  const startWorkerNow = async () => {
    worker = await startWorker(config, engine.app.logs.logger, TUNING);
  };
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };
  const api = (method: 'post' | 'get', path: string) =>
    request(engine.app.url)[method](`/api/v1${path}`).set('authorization', `Bearer ${trader}`);
  const paperBuy = { account: 'pp', symbol: 'BTC/USDT', action: 'buy', quantity: '0.001', price: '60000' };
  const binanceBuy = { account: 'bn', symbol: 'BTCUSDT', action: 'buy', quantity: '0.001' };
  const events = async (type: string) =>
    (await engine.app.redis.xrange(`${engine.app.prefix}:events`, '-', '+'))
      .map(([, fields]) => JSON.parse(fields[1]) as { type: string; data: Record<string, unknown> })
      .filter((e) => e.type === type);
  const status = async (id: string) =>
    (await engine.app.redis.hget(`${engine.app.prefix}:signal:${id}`, 'status')) ?? '';

  beforeAll(async () => {
    await fake.start();
    engine = await startEngine('kill-switch', [fake], accounts, { worker: false, tuning: TUNING });
    config = loadConfig({
      REDIS_URL,
      QUEUE_PREFIX: engine.app.prefix,
      WEBHOOK_TOKENS: TOKEN,
      ACCOUNTS: JSON.stringify(accounts()),
      // One slot: a held signal that took it would stop every other account (tested below).
      WORKER_CONCURRENCY: '1',
    });
    trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader', { name: 'desk' })).key;
    await startWorkerNow();
  });
  afterAll(async () => {
    await stopWorker();
    await engine.close();
  });
  beforeEach(async () => {
    fake.state.prices = { BTCUSDT: 60000 };
    fake.state.spotBalances.USDT = { free: 10000, locked: 0 };
    await api('post', '/resume').expect(200);
    for (const id of ['pp', 'bn']) await api('post', `/accounts/${id}/resume`).expect(200);
  });

  it('when an account is paused, then its signals end rejected with paused, no order reaches the exchange, and the other account still trades', async () => {
    const res = await api('post', '/accounts/bn/pause').expect(200);
    expect(res.body).toEqual({
      account: 'bn',
      paused: { since: expect.any(String), by: 'desk', hold: false, scope: 'account' },
      changed: true,
    });

    const rejected = await engine.run(binanceBuy, 15_000);
    const other = await engine.run(paperBuy, 15_000);

    expect(rejected.status).toBe('rejected');
    expect(rejected.error).toEqual({
      code: 'paused',
      message: expect.stringMatching(/^account "bn" is paused \(by desk since /),
    });
    expect(createOrdersFor(fake, rejected.id)).toEqual([]);
    expect(other.status).toBe('filled');
    const [paused] = (await events('account.paused')).slice(-1);
    expect(paused.data).toMatchObject({ account: 'bn', scope: 'account', by: 'desk', hold: false });
    const audit = await engine.app.redis.xrange(`${engine.app.prefix}:audit`, '-', '+');
    expect(audit.map(([, f]) => f.join(' ')).join('\n')).toMatch(/account\.pause/);

    const resumed = await api('post', '/accounts/bn/resume').expect(200);
    expect(resumed.body).toEqual({ account: 'bn', paused: null, changed: true });
    expect((await events('account.resumed')).slice(-1)[0].data).toMatchObject({
      account: 'bn',
      scope: 'account',
    });
    const after = await engine.run(binanceBuy, 15_000);
    expect(after.status).toBe('filled');
    expect(createOrdersFor(fake, after.id)).toHaveLength(1);
  });

  it('when a signal trades, then Redis reads the switch with its start and right after its send is recorded', async () => {
    // MONITOR lists the commands in the order Redis runs them (a script's own commands marked "lua").
    const monitor = await engine.app.redis.monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua' && args.some((a) => a.startsWith(engine.app.prefix))) commands.push(args);
    });
    let run: Awaited<ReturnType<Engine['run']>>;
    try {
      run = await engine.run(binanceBuy, 15_000);
      // MONITOR's lines reach it later than Redis ran the commands: a mark run now is listed after them all.
      const mark = `${engine.app.prefix}:monitor-mark`;
      await engine.app.redis.exists(mark);
      await eventually(async () => (commands.some((args) => args[1] === mark) ? true : undefined));
    } finally {
      monitor.disconnect();
    }
    expect(run.status).toBe('filled');
    const record = `${engine.app.prefix}:signal:${run.id}`;
    const order = clientIdOf(run.id, 'open');
    // The signal's writes and the switch's reads, in Redis's order.
    const seen = commands
      .map((args) => {
        if (args[0].toLowerCase() === 'hmget' && args[1] === `${engine.app.prefix}:paused`)
          return 'read switch';
        // A script Redis does not hold yet is sent again as EVAL (after a NOSCRIPT answer MONITOR does not list).
        if (!['evalsha', 'eval'].includes(args[0].toLowerCase()) || args[3] !== record) return undefined;
        // The progress's fields come as pairs: the send is recorded, no order is known yet.
        const field = (name: string) => args[args.indexOf(name) + 1];
        const sending = args.includes('sent') && field('sent').includes(order) && field('orders') === '[]';
        return sending ? 'write with the send' : 'write';
      })
      .filter((what) => what !== undefined);
    const sendWrite = seen.indexOf('write with the send');
    expect(sendWrite).toBeGreaterThan(0);
    // The intake's record, the switch read before the slot (the hold's check), then the start and the first
    // read, sent together (Redis may run either first).
    expect(seen.slice(0, 2)).toEqual(['write', 'read switch']);
    expect(seen.slice(2, sendWrite).sort()).toEqual(['read switch', 'write']);
    // The last read before the order comes after the send's record, and before anything else of the signal.
    expect(seen[sendWrite + 1]).toBe('read switch');
    expect(createOrdersFor(fake, run.id)).toHaveLength(1);
  });

  it('when pausing twice, then the second call changes nothing and publishes no second event', async () => {
    await api('post', '/accounts/pp/pause').expect(200);
    const before = (await events('account.paused')).length;
    const again = await api('post', '/accounts/pp/pause').expect(200);
    expect(again.body.changed).toBe(false);
    expect(await events('account.paused')).toHaveLength(before);
  });

  it('when every account is paused, then signals of each end rejected and an account resume alone does not lift it', async () => {
    const res = await api('post', '/pause').expect(200);
    expect(res.body).toEqual({
      paused: expect.objectContaining({ scope: 'all', hold: false }),
      changed: true,
    });

    const [a, b] = await Promise.all([engine.run(paperBuy, 15_000), engine.run(binanceBuy, 15_000)]);
    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    expect(a.error?.message).toMatch(/^every account is paused/);
    expect(createOrdersFor(fake, b.id)).toEqual([]);

    const own = await api('post', '/accounts/pp/resume').expect(200);
    expect(own.body).toMatchObject({
      paused: { scope: 'all' },
      changed: false,
      note: expect.stringMatching(/every account/),
    });
    expect((await engine.run(paperBuy, 15_000)).status).toBe('rejected');

    await api('post', '/resume').expect(200);
    expect((await engine.run(paperBuy, 15_000)).status).toBe('filled');
  });

  it('when signals are already queued and the account is paused before a worker takes them, then each ends rejected and none is sent', async () => {
    await stopWorker();
    const ids = [await engine.send(binanceBuy), await engine.send(binanceBuy), await engine.send(binanceBuy)];
    await api('post', '/accounts/bn/pause').expect(200);
    await startWorkerNow();

    const finals = await Promise.all(ids.map((id) => engine.final(id, 15_000)));
    expect(finals.map((f) => [f.status, f.error?.code])).toEqual(Array(3).fill(['rejected', 'paused']));
    for (const id of ids) expect(createOrdersFor(fake, id)).toEqual([]);
  });

  it('when paused with hold, then a signal waits without sending and fills once after the resume', async () => {
    await api('post', '/accounts/bn/pause').query({ hold: 'true' }).expect(200);
    const id = await engine.send(binanceBuy);
    await settle(300);
    expect(['queued', 'processing']).toContain(await status(id));
    expect(createOrdersFor(fake, id)).toEqual([]);

    await api('post', '/accounts/bn/resume').expect(200);
    const done = await engine.final(id, 15_000);
    expect(done.status).toBe('filled');
    expect(createOrdersFor(fake, id)).toHaveLength(1);
  });

  it('when one account holds its signals, then the signals of another account still run (a held signal takes no worker slot)', async () => {
    await api('post', '/accounts/bn/pause').query({ hold: 'true' }).expect(200);
    const held = await engine.send(binanceBuy);
    await settle(100);

    const other = await engine.run(paperBuy, 15_000);

    expect(other.status).toBe('filled');
    expect(['queued', 'processing']).toContain(await status(held));
    await api('post', '/accounts/bn/resume').expect(200);
    expect((await engine.final(held, 15_000)).status).toBe('filled');
  });

  it('when held with hold on paper and the signal expires meanwhile, then it ends expired, not late', async () => {
    await api('post', '/accounts/pp/pause').query({ hold: 'true' }).expect(200);
    const done = await engine.run({ ...paperBuy, maxLagSeconds: 1 }, 10_000);
    expect(done.status).toBe('expired');
    expect(done.error?.message).toMatch(/held until it expired|maxLagSeconds/);
    expect(done.orders).toEqual([]);
  });

  it('when the account is unknown or the query is malformed, then 404 and 400 name the problem', async () => {
    const missing = await api('post', '/accounts/nope/pause').expect(404);
    expect(missing.body).toEqual({ error: 'not_found', message: 'no account "nope" is configured' });
    const bad = await api('post', '/accounts/pp/pause').query({ hold: 'maybe' }).expect(400);
    expect(bad.body).toMatchObject({
      error: 'invalid_request',
      issues: [expect.objectContaining({ path: expect.stringMatching(/hold/) })],
    });
  });
});
