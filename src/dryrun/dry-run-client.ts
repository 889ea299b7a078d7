import { type ConnectionOptions, Job, Queue, QueueEvents } from 'bullmq';
import { type Redis } from 'ioredis';
import { DRY_RUN_QUEUE, type DryRunAnswer, type DryRunRequest } from './dry-run-answer';
import { WorkerUnavailableError } from './worker-unavailable-error';
import { AppError } from '../errors/app-error';

/** A worker heartbeat older than this means no worker is running (as `/ready` judges it). */
const HEARTBEAT_FRESH_MS = 30_000;

export interface DryRunClientOptions {
  /** The web's queue connection (non-blocking): the request is added through it. */
  connection: Redis;
  /**
   * Where the one blocking connection the answers arrive on (BullMQ QueueEvents) connects, opened on the first
   * dry run only: a web process that never serves one holds no extra connection.
   */
  events: ConnectionOptions;
  prefix: string;
  /** Every worker's last heartbeat (epoch ms), as the workers write it. */
  heartbeats: () => Promise<number[]>;
  /** How long the web waits for a worker's answer. @defaultValue 10000 */
  timeoutMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** `promise`, or a rejection saying it timed out after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), Math.max(1, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Redis cannot take the request: answered `503 unavailable`, like the intake's. */
function redisDown(error: unknown): never {
  throw new AppError(`Redis cannot take the request now; send it again (${(error as Error).message})`, {
    code: 'unavailable',
    kind: 'transient',
    cause: error,
  });
}

/**
 * The web's side of the dry run. The web never loads exchange code, so it asks a worker over Redis: a job on
 * the `dry-run` queue, answered by the job's return value, awaited for at most `timeoutMs`. A request nobody
 * took in time is withdrawn (and a worker that takes it late skips it).
 */
export class DryRunClient {
  private readonly queue: Queue;
  private events?: Promise<QueueEvents>;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DryRunClientOptions) {
    this.queue = new Queue(DRY_RUN_QUEUE, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: 60 }, removeOnFail: { age: 60 } },
    });
    // Failures are answered (503) per request; without a listener BullMQ prints connection errors too.
    this.queue.on('error', () => undefined);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The plan a worker made for `request`; throws {@link WorkerUnavailableError} when none answers. */
  async run(request: Omit<DryRunRequest, 'deadline'>): Promise<DryRunAnswer> {
    const started = this.now();
    const beats = await this.options.heartbeats().catch(redisDown);
    const latest = beats.length > 0 ? Math.max(...beats) : undefined;
    if (latest === undefined || started - latest > HEARTBEAT_FRESH_MS) {
      throw new WorkerUnavailableError(
        latest === undefined
          ? 'no worker is running (no heartbeat in Redis): start one with `npm run worker`'
          : `no worker heartbeat for ${Math.round((started - latest) / 1000)} s: is the worker running?`,
      );
    }
    // The events reader is set up before the request goes out, so the answer cannot slip past it.
    const opened = this.queueEvents().catch(redisDown);
    const job = await opened
      .then(() => this.queue.add('plan', { ...request, deadline: started + this.timeoutMs }))
      .catch(redisDown);
    let answer: DryRunAnswer | { stale: true };
    try {
      const deadline = started + this.timeoutMs;
      // Both waits are bounded: the events connection may not come up (Redis gone meanwhile).
      const events = await opened;
      await within(events.waitUntilReady(), deadline - this.now());
      answer = (await job.waitUntilFinished(events, Math.max(1, deadline - this.now()))) as
        DryRunAnswer | { stale: true };
    } catch (error) {
      // An answer the events stream did not deliver (its connection dropped meanwhile) is still on the job.
      const settled = await this.finished(job.id);
      if (settled === undefined) {
        await job.remove().catch(() => undefined); // a worker may have it already; it then skips or finishes
        const timedOut = /timed out/.test((error as Error).message);
        throw new WorkerUnavailableError(
          timedOut
            ? `no worker answered within ${this.timeoutMs / 1000} s: the workers are busy or stopped`
            : `the worker could not plan it: ${(error as Error).message}`,
          error,
        );
      }
      answer = settled;
    }
    if ('stale' in answer) throw new WorkerUnavailableError('the worker took the request too late');
    return answer;
  }

  /** The return value of a job that completed, if it did. */
  private async finished(id: string | undefined): Promise<DryRunAnswer | { stale: true } | undefined> {
    if (id === undefined) return undefined;
    const job = await Job.fromId(this.queue, id).catch(() => undefined);
    return job?.finishedOn !== undefined && job.returnvalue ? job.returnvalue : undefined;
  }

  /**
   * The events reader, opened on the first dry run. It starts reading after the newest event in the stream at
   * that moment (BullMQ's default, `$`, would start at whatever is newest when its first read reaches Redis: a
   * worker answering before that would go unseen).
   */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const [newest] = await this.options.connection.xrevrange(this.queue.keys.events, '+', '-', 'COUNT', 1);
      const events = new QueueEvents(DRY_RUN_QUEUE, {
        connection: this.options.events,
        prefix: this.options.prefix,
        lastEventId: newest?.[0] ?? '0-0',
      });
      events.on('error', () => undefined);
      return events;
    })().catch((error: unknown) => {
      this.events = undefined;
      throw error;
    });
    return this.events;
  }

  async close(): Promise<void> {
    const events = await this.events?.catch(() => undefined);
    // BullMQ's close waits for a connection that never came up (Redis unreachable): bounded, so is shutdown.
    const eventsClosed = events ? within(events.close(), 2_000).catch(() => undefined) : undefined;
    await Promise.all([this.queue.close(), eventsClosed]);
  }
}
