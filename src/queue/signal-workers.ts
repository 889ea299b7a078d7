import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Logger } from '../observability/logger';
import { SignalEnvelope } from '../signals/signal';
import { SignalStatus } from '../signals/signal-record';
import { SIGNAL_PARTITIONS, signalQueueName } from './partitions';

export interface SignalWorkersOptions {
  /** A connection with `maxRetriesPerRequest: null` (BullMQ duplicates it for blocking reads). */
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** Executes one signal; returns its final status. Called again for the same signal after a crash. */
  process: (
    signal: SignalEnvelope,
  ) => Promise<{ status: SignalStatus; error?: { code: string; message: string } }>;
  /**
   * How long a job's lock lasts without renewal; a crashed worker's job is re-run after about this long.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
}

/**
 * Consumes every signal partition. Each partition has global concurrency 1 (across all worker processes),
 * so one account-and-symbol's signals run strictly one after another, in arrival order.
 */
export class SignalWorkers {
  private readonly workers: Worker[] = [];

  constructor(private readonly options: SignalWorkersOptions) {}

  async start(): Promise<void> {
    const { connection, prefix } = this.options;
    for (let p = 0; p < SIGNAL_PARTITIONS; p++) {
      const name = signalQueueName(p);
      const queue = new Queue(name, { connection, prefix });
      await queue.setGlobalConcurrency(1);
      await queue.close();
      const worker = new Worker(name, (job: Job<SignalEnvelope>) => this.handle(job), {
        connection,
        prefix,
        concurrency: 1,
        lockDuration: this.options.lockDurationMs ?? 30_000,
        // A job whose worker died is re-run (idempotently) rather than failed; twice is a crash loop.
        maxStalledCount: 2,
      });
      worker.on('error', (error) =>
        this.options.logger.error('signal worker error', { partition: p, error: error.message }),
      );
      worker.on('failed', (job, error) => {
        if (job) this.options.logger.warn('signal job failed', { signalId: job.id, error: error.message });
      });
      this.workers.push(worker);
    }
  }

  private async handle(job: Job<SignalEnvelope>): Promise<{ status: SignalStatus }> {
    const outcome = await this.options.process(job.data);
    // Failed signals end in BullMQ's failed set too: that set is the dead-letter list operators inspect.
    if (outcome.status === 'failed') {
      throw new UnrecoverableError(
        `${outcome.error?.code ?? 'failed'}: ${outcome.error?.message ?? 'unknown'}`,
      );
    }
    return { status: outcome.status };
  }

  /** Stops taking jobs and waits for the ones in flight. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
