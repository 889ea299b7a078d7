import { Queue } from 'bullmq';
import request from 'supertest';
import { type AccountConfig } from '../../../src/config/accounts';
import { type Config, loadConfig } from '../../../src/config/config';
import { type WorkerProcess, type WorkerTuning, startWorker } from '../../../src/main/worker-process';
import { partitionOf, signalQueueName } from '../../../src/queue/partitions';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { eventually } from '../../support/test-app';
import { REDIS_URL } from '../../support/test-redis';
import {
  type Engine,
  FAST_TUNING,
  TOKEN,
  clientIdOf,
  sentClientId,
  startEngine,
} from './behaviour/engine-harness';

/**
 * A graceful shutdown (Heroku's SIGTERM on every restart and deploy) while a signal only waits — here the
 * hold of a paused account — hands the job back to the head of its partition at once. The workers keep
 * BullMQ's default 30 s lock: were the job left locked instead, the next worker could not take it (nor any
 * later signal of its partition) until the lock expired.
 */
const TUNING: WorkerTuning = {
  ...FAST_TUNING,
  retry: { ...FAST_TUNING.retry, holdBaseDelayMs: 20, holdMaxDelayMs: 50 },
};

describe('graceful shutdown of a worker whose signal waits', () => {
  const fake = new FakeBinance('binance');
  const accounts = (): AccountConfig[] => [makeCcxtAccount(fake, { id: 'hb', defaultType: 'spot' })];
  const buy = { account: 'hb', symbol: 'BTCUSDT', action: 'buy', quantity: '0.001' };
  let engine: Engine;
  let config: Config;
  let queue: Queue;
  let trader: string;
  const workers: WorkerProcess[] = [];

  const api = (path: string) =>
    request(engine.app.url).post(`/api/v1${path}`).set('authorization', `Bearer ${trader}`);
  const start = async () => {
    const worker = await startWorker(config, engine.app.logs.logger, TUNING);
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    await fake.start();
    engine = await startEngine('handback', [fake], accounts, { worker: false, tuning: TUNING });
    config = loadConfig({
      REDIS_URL,
      QUEUE_PREFIX: engine.app.prefix,
      WEBHOOK_TOKENS: TOKEN,
      ACCOUNTS: JSON.stringify(accounts()),
    });
    queue = new Queue(signalQueueName(partitionOf('hb', 'BTCUSDT')), {
      connection: engine.app.redis,
      prefix: engine.app.prefix,
    });
    trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader', { name: 'desk' })).key;
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await queue.close();
    await engine.close();
  });

  it('when the worker stops while a held signal waits, then the job is handed back at once and the next worker runs it before the later one', async () => {
    fake.state.prices = { BTCUSDT: 60000 };
    fake.state.spotBalances.USDT = { free: 10000, locked: 0 };
    await api('/accounts/hb/pause').query({ hold: 'true' }).expect(200);
    const first = await start();
    const held = await engine.send(buy);
    const later = await engine.send(buy);
    await eventually(async () => ((await queue.getJobState(held)) === 'active' ? true : undefined), 10_000);

    await first.close();

    // Back in the queue, not locked by a process that is gone; the later signal still behind it.
    expect(await queue.getJobState(held)).toBe('waiting');
    expect(await queue.getJobState(later)).toBe('waiting');
    expect(engine.app.logs.lines.some((l) => l.includes('signal handed back') && l.includes(held))).toBe(
      true,
    );

    await start();
    await api('/accounts/hb/resume').expect(200);
    // Well inside the 30 s lock that a job left locked would have to wait out.
    expect((await engine.final(held, 10_000)).status).toBe('filled');
    expect((await engine.final(later, 10_000)).status).toBe('filled');
    const order = fake
      .requestsFor('createOrder')
      .map((r) => [held, later].findIndex((id) => sentClientId(r).startsWith(clientIdOf(id, ''))));
    expect(order).toEqual([0, 1]);
  }, 40_000);
});
