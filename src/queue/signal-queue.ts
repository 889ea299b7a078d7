import { Queue } from 'bullmq';
import { type Redis } from 'ioredis';
import { type SignalEnvelope } from '../signals/signal';
import { SIGNAL_PARTITIONS, partitionOf, signalQueueName } from './partitions';

/** Job name of a signal in BullMQ. */
export const SIGNAL_JOB = 'signal';

/**
 * Completed jobs are kept a day: long enough to outlive every nonce (the intake asks whether a claimed
 * nonce's job exists), short enough to bound Redis memory. History records keep the long-term story.
 */
const KEEP_COMPLETED = { age: 24 * 3600, count: 100_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600 };

/** Producer side of the partitioned signal queues. Shares one Redis connection across partitions. */
export class SignalQueue {
  private readonly queues: Queue[];

  constructor(connection: Redis, prefix: string) {
    this.queues = Array.from({ length: SIGNAL_PARTITIONS }, (_, p) => {
      const queue = new Queue(signalQueueName(p), {
        connection,
        prefix,
        defaultJobOptions: { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED, attempts: 1 },
      });
      // Enqueue failures are answered 503 and logged by the intake; without a listener BullMQ would also
      // print every connection error to the console.
      queue.on('error', () => undefined);
      return queue;
    });
  }

  private queueFor(account: string, symbol: string): Queue {
    return this.queues[partitionOf(account, symbol)];
  }

  /** Queues a signal with its id as job id: adding the same signal twice is a no-op in BullMQ. */
  async enqueue(signal: SignalEnvelope): Promise<void> {
    await this.queueFor(signal.alert.account, signal.alert.symbol).add(SIGNAL_JOB, signal, {
      jobId: signal.id,
    });
  }

  /**
   * Queues a signal again under its own job id (an operator's retry): the finished job it had is removed
   * first, since BullMQ ignores a job id it still holds. Only for signals whose record is final.
   */
  async requeue(signal: SignalEnvelope): Promise<void> {
    const queue = this.queueFor(signal.alert.account, signal.alert.symbol);
    await queue.remove(signal.id);
    await queue.add(SIGNAL_JOB, signal, { jobId: signal.id });
  }

  /**
   * Whether a job exists for the signal in any partition (waiting, active, delayed, completed or failed).
   * Only asked on a nonce collision, so looking in every partition costs nothing on the hot path.
   */
  async exists(signalId: string): Promise<boolean> {
    const jobs = await Promise.all(this.queues.map((q) => q.getJob(signalId)));
    return jobs.some((job) => job !== undefined && job !== null);
  }

  /** Jobs waiting or delayed, across partitions. */
  async depth(): Promise<number> {
    const counts = await Promise.all(
      this.queues.map((q) => q.getJobCountByTypes('wait', 'delayed', 'prioritized')),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Deletes every job and key of these queues, whatever their state (the web's warm-up queues only). */
  async obliterate(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.obliterate({ force: true })));
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
