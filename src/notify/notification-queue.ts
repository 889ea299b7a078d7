import { Queue } from 'bullmq';
import { type Redis } from 'ioredis';
import { type AttemptJob, type AttemptScheduler } from './delivery-processor';

/** The BullMQ queue of notification attempts: its own queue, never in the way of the signal partitions. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** Producer side of the notifications queue (the fan-out, retries, the API's replay and retry). */
export class NotificationQueue implements AttemptScheduler {
  readonly queue: Queue<AttemptJob>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<AttemptJob>(NOTIFICATIONS_QUEUE, { connection, prefix });
    this.queue.on('error', () => undefined); // connection errors are visible on /ready and tradehook_redis_up
  }

  /**
   * Adds an attempt, at most once per delivery and schedule position (the job id), so that a fan-out or a
   * processor re-run after a crash adds nothing. A processor error (Redis down) is retried by BullMQ; a
   * receiver's failure never is (the processor schedules the next attempt itself).
   */
  async schedule(job: AttemptJob, delayMs: number): Promise<void> {
    const suffix = job.manual ? `m${Date.now()}` : `a${job.attempt}`;
    await this.queue.add('attempt', job, {
      jobId: `${job.deliveryId}-${suffix}`,
      delay: Math.max(0, Math.round(delayMs)),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
