import { type Job, Worker } from 'bullmq';
import { type Redis } from 'ioredis';
import { type Logger } from '../observability/logger';
import { DRY_RUN_QUEUE, type DryRunAnswer, type DryRunRequest } from './dry-run-answer';

export interface DryRunResponderOptions {
  /** The worker's connection (`maxRetriesPerRequest: null`); BullMQ adds one blocking connection of its own. */
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** Plans one request (src/execution/dry-run.ts): read-only, it places and records nothing. */
  plan: (request: DryRunRequest) => Promise<DryRunAnswer>;
  /** Dry runs planned at once by this process. @defaultValue 2 */
  concurrency?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** Answered instead of a plan when the web stopped waiting before this worker took the request. */
export interface StaleDryRun {
  stale: true;
}

/**
 * The worker's side of the dry run: a BullMQ worker on the `dry-run` queue (never a signal partition, so a
 * dry run neither waits behind nor holds up any signal), a small concurrency, no retries. The answer is the
 * job's return value, which the web's `waitUntilFinished` receives.
 */
export function startDryRunResponder(options: DryRunResponderOptions): { close(): Promise<void> } {
  const now = options.now ?? Date.now;
  const worker = new Worker(
    DRY_RUN_QUEUE,
    async (job: Job<DryRunRequest>): Promise<DryRunAnswer | StaleDryRun> => {
      if (now() > job.data.deadline) return { stale: true };
      const answer = await options.plan(job.data);
      options.logger.info('dry run planned', {
        requestId: job.data.requestId,
        signalId: job.data.signalId,
        account: answer.account,
        outcome: answer.outcome,
        intents: answer.intents.length,
        ...(answer.refusal ? { code: answer.refusal.code } : {}),
      });
      return answer;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 2 },
  );
  worker.on('error', (error) => options.logger.error('dry-run worker error', { error: error.message }));
  worker.on('failed', (job, error) =>
    options.logger.warn('dry run failed', { requestId: job?.data.requestId, error: error.message }),
  );
  return { close: () => worker.close() };
}
