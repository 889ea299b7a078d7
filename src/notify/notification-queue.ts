import { Queue } from 'bullmq';
import { type Redis } from 'ioredis';
import { type AttemptJob, type AttemptScheduler } from './delivery-processor';

/** The BullMQ queue of notification attempts: its own queue, never in the way of the signal partitions. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** How long a processor error (Redis failing under it) is retried before BullMQ gives the attempt up. */
const PROCESSOR_RETRY_WINDOW_MS = 24 * 3600_000;
/** Longest pause between those retries. */
export const PROCESSOR_RETRY_DELAY_MS = 5_000;
/** BullMQ's fixed backoff with jitter `j` waits between `(1 - j) × delay` and `delay`: 2.5-5 s here. */
const PROCESSOR_RETRY_JITTER = 0.5;
/** Retries that fill the window at the mean pause (3.75 s): 23,040. */
const PROCESSOR_ATTEMPTS = Math.ceil(
  PROCESSOR_RETRY_WINDOW_MS / (PROCESSOR_RETRY_DELAY_MS * (1 - PROCESSOR_RETRY_JITTER / 2)),
);

/** Producer side of the notifications queue (the fan-out, retries, the API's replay and retry). */
export class NotificationQueue implements AttemptScheduler {
  readonly queue: Queue<AttemptJob>;

  private readonly retryDelayMs: number;

  constructor(connection: Redis, prefix: string, options: { processorRetryDelayMs?: number } = {}) {
    this.retryDelayMs = options.processorRetryDelayMs ?? PROCESSOR_RETRY_DELAY_MS;
    this.queue = new Queue<AttemptJob>(NOTIFICATIONS_QUEUE, { connection, prefix });
    this.queue.on('error', () => undefined); // connection errors are visible on /ready and tradehook_redis_up
  }

  /**
   * Adds an attempt, at most once per delivery and schedule position (the job id), so that a fan-out or a
   * processor re-run after a crash adds nothing. A processor error (Redis failing under it) is retried by
   * BullMQ every few seconds for a day: a job that BullMQ gave up would leave its delivery `pending` with
   * nothing left to send it (the job id is taken, so nothing adds it again). A receiver's failure never is
   * (the processor schedules the next attempt itself, on the delivery's own schedule).
   */
  async schedule(job: AttemptJob, delayMs: number): Promise<void> {
    const suffix = job.manual ? `m${Date.now()}` : `a${job.attempt}`;
    await this.queue.add('attempt', job, {
      jobId: `${job.deliveryId}-${suffix}`,
      delay: Math.max(0, Math.round(delayMs)),
      attempts: PROCESSOR_ATTEMPTS,
      backoff: { type: 'fixed', delay: this.retryDelayMs, jitter: PROCESSOR_RETRY_JITTER },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
