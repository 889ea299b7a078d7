import { type Job, Worker } from 'bullmq';
import { type Redis } from 'ioredis';
import { type Logger } from '../observability/logger';
import { type AttemptJob, type DeliveryProcessor } from './delivery-processor';
import { NOTIFICATIONS_QUEUE } from './notification-queue';

export interface NotificationWorkerOptions {
  /** A connection of its own (`maxRetriesPerRequest: null`), not the signal workers': a slow receiver never holds theirs. */
  connection: Redis;
  prefix: string;
  processor: Pick<DeliveryProcessor, 'process'>;
  logger: Logger;
  /** Attempts in flight per worker process. @defaultValue 10 */
  concurrency?: number;
}

/**
 * Consumes the notifications queue with its own concurrency. Attempts wait on receivers (up to 15 s
 * each), never on an order; orders never wait on them.
 */
export function startNotificationWorker(options: NotificationWorkerOptions): Worker<AttemptJob> {
  const worker = new Worker<AttemptJob>(
    NOTIFICATIONS_QUEUE,
    async (job: Job<AttemptJob>) => {
      await options.processor.process(job.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 10 },
  );
  worker.on('error', (error) => options.logger.warn('notification worker error', { error: error.message }));
  worker.on('failed', (job, error) =>
    options.logger.warn('notification job failed', {
      deliveryId: job?.data.deliveryId,
      error: error.message,
    }),
  );
  return worker;
}
