import { Redis } from 'ioredis';
import { type AttemptJob } from '../../../src/notify/delivery-processor';
import { NotificationQueue } from '../../../src/notify/notification-queue';
import { startNotificationWorker } from '../../../src/notify/notification-worker';
import { captureLogs } from '../../support/log-capture';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const prefix = uniquePrefix('notify-retry');
const producer = new Redis(REDIS_URL);
const consumer = new Redis(REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  await dropPrefix(prefix);
  await Promise.all([producer.quit(), consumer.quit()]);
});

describe('an attempt whose processing fails (Redis failing under the processor)', () => {
  it('when it fails more often than BullMQ used to allow (5), then BullMQ keeps retrying it until it goes through', async () => {
    const logs = captureLogs();
    const queue = new NotificationQueue(producer, prefix, { processorRetryDelayMs: 20 });
    const calls: AttemptJob[] = [];
    let done: () => void = () => undefined;
    const succeeded = new Promise<void>((resolve) => (done = resolve));
    const worker = startNotificationWorker({
      connection: consumer,
      prefix,
      logger: logs.logger,
      concurrency: 1,
      processor: {
        async process(job) {
          calls.push(job);
          if (calls.length <= 8) throw new Error('Connection is closed.');
          done();
          return undefined;
        },
      },
    });
    try {
      await queue.schedule({ deliveryId: 'dlv_retry', attempt: 1 }, 0);
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up after ${calls.length} calls`)), 15_000);
      });
      await Promise.race([succeeded, gaveUp]).finally(() => clearTimeout(timer));
      expect(calls).toHaveLength(9);
      expect(calls.every((c) => c.deliveryId === 'dlv_retry' && c.attempt === 1)).toBe(true);
      // Each failure is logged, naming the delivery.
      expect(
        logs.lines.filter((l) => l.includes('notification job failed') && l.includes('dlv_retry')),
      ).toHaveLength(8);
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 30_000);
});
