import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SignalWorkers } from '../../../src/queue/signal-workers';
import { partitionOf, signalQueueName } from '../../../src/queue/partitions';
import { captureLogs } from '../../support/log-capture';
import { signalEnvelope } from '../../support/seed-signal';
import { eventually } from '../../support/test-app';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * A worker told to stop the moment a signal's processor has returned (Heroku's SIGTERM can come at any time)
 * must still let BullMQ complete that job: left `active` under its lock, the job would hold its partition
 * (global concurrency 1) until the lock expired and the stalled check ran — up to a minute of no trading for
 * that account and symbol after a restart. The workers keep BullMQ's default 30 s lock.
 */
describe('a worker stopping right after a signal finished', () => {
  const prefix = uniquePrefix('close-after-finish');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(signalQueueName(partitionOf('default', 'BTCUSDT')), { connection: redis, prefix });
  const logs = captureLogs();
  const ran: string[] = [];
  const running: SignalWorkers[] = [];

  const workers = (onFinished?: () => void) => {
    const made = new SignalWorkers({
      connection: redis,
      prefix,
      logger: logs.logger,
      process: async (s) => {
        ran.push(s.id);
        // The stop comes in the same turn as the processor's return, before BullMQ hears of it.
        onFinished?.();
        return { status: 'filled' };
      },
    });
    running.push(made);
    return made;
  };

  // BullMQ records a finished job a little after the processor returns; on a busy machine that can be long
  // enough for a stop to come in between. Made so here: its completion write waits 300 ms.
  const moveToCompleted = Job.prototype.moveToCompleted;
  beforeAll(() => {
    Job.prototype.moveToCompleted = async function (this: Job, ...args: Parameters<Job['moveToCompleted']>) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return moveToCompleted.apply(this, args);
    };
  });

  afterAll(async () => {
    Job.prototype.moveToCompleted = moveToCompleted;
    for (const w of running) await w.close(100);
    await queue.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when the stop comes as the processor returns, then the job is completed, and the next worker takes the partition’s next signal at once', async () => {
    let closing: Promise<void> | undefined;
    const first = workers(() => {
      closing ??= first.close();
    });
    await first.start();
    await queue.add('signal', signalEnvelope('sig_first'), { jobId: 'sig_first' });
    await queue.add('signal', signalEnvelope('sig_second'), { jobId: 'sig_second' });
    await eventually(async () => (closing ? true : undefined));
    await closing;

    expect(await queue.getJobState('sig_first')).toBe('completed');
    expect(ran).toEqual(['sig_first']);

    await workers().start();
    // Well inside the 30 s lock a job left active would hold its partition for.
    await eventually(
      async () => ((await queue.getJobState('sig_second')) === 'completed' ? true : undefined),
      5_000,
    );
    expect(ran).toEqual(['sig_first', 'sig_second']);
  }, 20_000);
});
