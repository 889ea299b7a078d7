import { type Job, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
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
   * handed back to the head of its partition for another worker (see {@link SignalWorkers.close}).
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
  /**
   * Awaited before a job takes one of the `concurrency` slots: a signal that must wait for something outside
   * (its account paused with hold) waits here, holding only its own partition, so that it cannot starve
   * other accounts' signals of slots. May reject with `ShutdownInterrupt` (the job is handed back).
   */
  admit?: (signal: SignalEnvelope, shutdown: AbortSignal) => Promise<void>;
}

/**
 * Consumes every signal partition. Each partition has global concurrency 1 (across all worker processes),
 * so one account-and-symbol's signals run strictly one after another, in arrival order. A job whose worker
 * dies goes back to the HEAD of its partition (BullMQ re-queues stalled jobs with RPUSH, the end it takes
 * from), so it is re-run before any later signal of that partition. A job interrupted by a graceful shutdown
 * goes back to the same end at once, instead of waiting for its lock to expire.
 */
export class SignalWorkers {
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();
  /** Jobs in flight, until settled or handed back. */
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
      const worker = new Worker(name, (job: Job<SignalEnvelope>, token) => this.handle(job, token), {
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

  private handle(job: Job<SignalEnvelope>, token?: string): Promise<{ status: SignalStatus }> {
    // Tracked until the job is settled or handed back, so that close() waits for the hand-back too.
    const done = this.execute(job, token);
    this.busy.add(done);
    return done.finally(() => this.busy.delete(done));
  }

  private async execute(job: Job<SignalEnvelope>, token?: string): Promise<{ status: SignalStatus }> {
    const { admit } = this.options;
    const shutdown = this.shutdown.signal;
    try {
      await admit?.(job.data, shutdown);
      const outcome = await this.slots.run(() => this.options.process(job.data, shutdown));
      // Failed signals end in BullMQ's failed set too: that set is the dead-letter list operators inspect.
      if (outcome.status === 'failed') {
        throw new UnrecoverableError(
          `${outcome.error?.code ?? 'failed'}: ${outcome.error?.message ?? 'unknown'}`,
        );
      }
      return { status: outcome.status };
    } catch (error) {
      if ((error as Error).name !== 'ShutdownInterrupt') throw error;
      return this.handBack(job, token);
    }
  }

  /**
   * A job interrupted by the shutdown while it waited (a transient failure's backoff, a hold) goes back to
   * the head of its partition at once, so that another worker resumes it from its saved progress without
   * waiting for this one's lock to expire. Should that fail (Redis gone), the job keeps its lock, which
   * expires once this process is gone: BullMQ then re-queues it to the same end. Either way BullMQ neither
   * completes nor fails it (a `WaitingError` leaves the job as it is).
   */
  private async handBack(job: Job<SignalEnvelope>, token?: string): Promise<never> {
    try {
      await job.moveToWait(token);
      this.options.logger.info('signal handed back for another worker (shutdown)', { signalId: job.id });
    } catch (error) {
      this.options.logger.warn('signal left for another worker once its lock expires (shutdown)', {
        signalId: job.id,
        error: (error as Error).message,
      });
    }
    throw new WaitingError();
  }

  /**
   * Stops taking jobs; lets jobs that are talking to the exchange finish (up to `graceMs`); hands back jobs
   * that are only waiting (a transient failure's backoff, a hold). Then closes the workers.
   */
  async close(graceMs = 20_000): Promise<void> {
    await Promise.all(this.workers.map((w) => w.pause(true)));
    this.shutdown.abort();
    const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.busy]), deadline]);
    // BullMQ still has to record what the finished jobs did (completed, failed, handed back). A forced close
    // could drop the connection before that write: the job would stay `active` under a lock no one renews,
    // holding its partition (global concurrency 1) until the lock expired and a stalled check re-queued it.
    // So the workers close gracefully, within what is left of the grace period; a job still talking to the
    // exchange past it is left to its lock, as a crash would leave it.
    await Promise.race([Promise.all(this.workers.map((w) => w.close())), deadline]);
  }
}
