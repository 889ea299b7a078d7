import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SignalStore } from '../../../src/history/signal-store';
import { SignalWorkers } from '../../../src/queue/signal-workers';
import { signalQueueName, partitionOf } from '../../../src/queue/partitions';
import { redisKeys } from '../../../src/redis/keys';
import { captureLogs } from '../../support/log-capture';
import { signalEnvelope } from '../../support/seed-signal';
import { eventually } from '../../support/test-app';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

describe('a signal no worker could finish', () => {
  const prefix = uniquePrefix('abandoned');
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const store = new SignalStore(redis, keys, 1);
  const logs = captureLogs();
  let workers: SignalWorkers;

  afterAll(async () => {
    await workers?.close(100);
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when the processor dies with an unexpected error, then the record ends failed with a reason, not "processing"', async () => {
    workers = new SignalWorkers({
      connection: redis,
      prefix,
      logger: logs.logger,
      process: async (s) => {
        await store.start(s, Date.now());
        throw new Error('redis went away mid-signal');
      },
      onAbandoned: async (id, reason) => {
        await store.failIfOpen(id, { code: 'worker_crash_loop', message: reason }, Date.now());
      },
    });
    await workers.start();
    const s = signalEnvelope('sig_aaaaaaaaaaaaaaaaaaaaaaaa');
    await store.recordQueued(s, Date.now());
    const queue = new Queue(signalQueueName(partitionOf('default', 'BTCUSDT')), {
      connection: redis,
      prefix,
    });
    await queue.add('signal', s, { jobId: s.id });
    await queue.close();

    const record = await eventually(async () => {
      const r = await store.get(s.id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(record.error).toEqual({ code: 'worker_crash_loop', message: 'redis went away mid-signal' });
  });

  it('when a signal already has a final status, then failIfOpen leaves it alone', async () => {
    const s = signalEnvelope('sig_bbbbbbbbbbbbbbbbbbbbbbbb');
    await store.recordQueued(s, Date.now());
    await store.start(s, Date.now());
    await store.finish(s.id, {
      status: 'filled',
      finishedAt: Date.now(),
      progress: { stepsDone: 1, orders: [], calls: [] },
    });
    expect(await store.failIfOpen(s.id, { code: 'x', message: 'y' }, Date.now())).toBe(false);
    expect((await store.get(s.id))?.status).toBe('filled');
  });
});
