import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { type Redis } from 'ioredis';
import { type Logger } from '../observability/logger';
import { type SignalEnvelope } from '../signals/signal';
import { type SignalStatus } from '../signals/signal-record';
import { Semaphore } from '../util/semaphore';
import { SIGNAL_PARTITIONS, signalQueueName } from './partitions';

export interface SignalWorkersOptions {
  /** A connection with `maxRetriesPerRequest: null` (BullMQ duplicates it for blocking reads). */
  connection: Redis;
  prefix: string;
  logger: Logger;
  /**
   * Executes one signal; returns its final status. Called again for the same signal after a crash. When
   * `shutdown` aborts, it may reject with an error named `ShutdownInterrupt` while waiting: the job is then
   * left for another worker (see {@link SignalWorkers.close}).
   */
  process: (
    signal: SignalEnvelope,
    shutdown: AbortSignal,
  ) => Promise<{ status: SignalStatus; error?: { code: string; message: string } }>;
  /**
   * How long a job's lock lasts without renewal: a crashed worker's job is re-run after about this long.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. @defaultValue lockDurationMs */
  stalledIntervalMs?: number;
  /**
   * Called when BullMQ fails a job that our processor did not finish (it stalled more than `maxStalledCount`
   * times: a crash loop), so that its record ends with a status and a reason instead of "processing".
   */
  onAbandoned?: (signalId: string, reason: string) => Promise<void>;
  /**
   * `WORKER_CONCURRENCY`: signals executing at once in this process, across partitions. A partition's
   * next job waits for a slot while holding its partition, which is its turn anyway. @defaultValue 8
   */
  concurrency?: number;
}

/**
 * Consumes every signal partition. Each partition has global concurrency 1 (across all worker processes),
 * so one account-and-symbol's signals run strictly one after another, in arrival order. A job whose worker
 * dies goes back to the HEAD of its partition (BullMQ re-queues stalled jobs with RPUSH, the end it takes
 * from), so it is re-run before any later signal of that partition.
 */
export class SignalWorkers {
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();
  /** Jobs in flight that are not parked by a shutdown. */
  private readonly busy = new Set<Promise<unknown>>();
  private readonly slots: Semaphore;

  constructor(private readonly options: SignalWorkersOptions) {
    this.slots = new Semaphore(options.concurrency ?? 8);
  }

  async start(): Promise<void> {
    const { connection, prefix } = this.options;
    const lockDuration = this.options.lockDurationMs ?? 30_000;
    for (let p = 0; p < SIGNAL_PARTITIONS; p++) {
      const name = signalQueueName(p);
      const queue = new Queue(name, { connection, prefix });
      await queue.setGlobalConcurrency(1);
      await queue.close();
      const worker = new Worker(name, (job: Job<SignalEnvelope>) => this.handle(job), {
        connection,
        prefix,
        concurrency: 1,
        lockDuration,
        stalledInterval: this.options.stalledIntervalMs ?? lockDuration,
        // A job whose worker died is re-run (idempotently) rather than failed; more than twice is a crash loop.
        maxStalledCount: 2,
      });
      worker.on('error', (error) =>
        this.options.logger.error('signal worker error', { partition: p, error: error.message }),
      );
      worker.on('failed', (job, error) => {
        if (!job?.id) return;
        // A failed signal's outcome was logged once, with its reason, by the processor ("signal finished");
        // the job only carries it to BullMQ's failed set. Anything else failed outside the processor.
        if (error.name === 'UnrecoverableError') return;
        this.options.logger.warn('signal job failed', { signalId: job.id, error: error.message });
        const onAbandoned = this.options.onAbandoned;
        if (onAbandoned) {
          const signalId = job.id;
          onAbandoned(signalId, error.message).catch((e: Error) => {
            this.options.logger.error('could not record an abandoned signal', { signalId, error: e.message });
          });
        }
      });
      this.workers.push(worker);
    }
  }

  private async handle(job: Job<SignalEnvelope>): Promise<{ status: SignalStatus }> {
    const run = this.slots.run(() => this.options.process(job.data, this.shutdown.signal));
    this.busy.add(run);
    try {
      const outcome = await run;
      // Failed signals end in BullMQ's failed set too: that set is the dead-letter list operators inspect.
      if (outcome.status === 'failed') {
        throw new UnrecoverableError(
          `${outcome.error?.code ?? 'failed'}: ${outcome.error?.message ?? 'unknown'}`,
        );
      }
      return { status: outcome.status };
    } catch (error) {
      if ((error as Error).name !== 'ShutdownInterrupt') throw error;
      // Parked: never settle, so BullMQ neither completes nor fails the job. Its lock expires once this
      // process is gone and another worker re-runs it first in its partition, resuming from saved progress.
      this.options.logger.info('signal parked for another worker (shutdown)', { signalId: job.id });
      this.busy.delete(run);
      return new Promise<never>(() => undefined);
    } finally {
      this.busy.delete(run);
    }
  }

  /**
   * Stops taking jobs; lets jobs that are talking to the exchange finish (up to `graceMs`); parks jobs that
   * are only waiting out a transient failure. Then closes the workers without waiting for parked jobs.
   */
  async close(graceMs = 20_000): Promise<void> {
    await Promise.all(this.workers.map((w) => w.pause(true)));
    this.shutdown.abort();
    const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.busy]), deadline]);
    await Promise.all(this.workers.map((w) => w.close(true)));
  }
}
