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

  it('when an attempt is scheduled with the production settings, then BullMQ would retry its processing for at least a day', async () => {
    const queue = new NotificationQueue(producer, prefix);
    try {
      await queue.schedule({ deliveryId: 'dlv_day', attempt: 1 }, 60_000);
      const job = await queue.queue.getJob('dlv_day-a1');
      const { attempts, backoff } = job!.opts as {
        attempts: number;
        backoff: { type: string; delay: number; jitter: number };
      };
      expect(backoff.type).toBe('fixed');
      // BullMQ's fixed backoff with jitter j waits between (1 - j) × delay and delay: on average (1 - j/2) × delay.
      const meanPauseMs = backoff.delay * (1 - backoff.jitter / 2);
      expect(attempts * meanPauseMs).toBeGreaterThanOrEqual(24 * 3600_000);
      expect(backoff.delay).toBeLessThanOrEqual(5_000);
      await job!.remove();
    } finally {
      await queue.close();
    }
  });
});
