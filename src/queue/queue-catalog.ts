import { Queue } from 'bullmq';
import { type Redis } from 'ioredis';
import { SIGNAL_PARTITIONS, signalQueueName } from './partitions';

export interface CatalogEntry {
  queue: Queue;
  /**
   * Shown but not changeable in Bull Board. Signal queues are: retrying or removing a signal job by hand
   * would bypass its history, its expiry and the order of its partition; the API's own routes do that.
   */
  readOnly: boolean;
}

/**
 * The BullMQ queues the operating surfaces (Bull Board, `/metrics`) show: every signal partition, and any
 * queue registered later (notifications). Producer-side `Queue` objects on a shared connection: cheap, and
 * no worker code is loaded.
 */
export class QueueCatalog {
  private readonly entries: CatalogEntry[] = [];
  private changes = 0;

  /** A catalog of the signal partitions, read-only. */
  static withSignalQueues(connection: Redis, prefix: string): QueueCatalog {
    const catalog = new QueueCatalog();
    for (let p = 0; p < SIGNAL_PARTITIONS; p++) {
      catalog.register(new Queue(signalQueueName(p), { connection, prefix }), { readOnly: true });
    }
    return catalog;
  }

  register(queue: Queue, options: { readOnly: boolean }): void {
    // Connection errors are already visible (`/ready`, `tradehook_redis_up`); without a listener BullMQ
    // prints each one to the console.
    queue.on('error', () => undefined);
    this.entries.push({ queue, readOnly: options.readOnly });
    this.changes++;
  }

  list(): readonly CatalogEntry[] {
    return this.entries;
  }

  /** Grows with every registration, so that a view built earlier knows to rebuild. */
  get version(): number {
    return this.changes;
  }

  async close(): Promise<void> {
    await Promise.all(this.entries.map((e) => e.queue.close()));
  }
}
