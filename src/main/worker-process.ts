import { randomUUID } from 'node:crypto';
import { type Config } from '../config/config';
import { SessionRegistry, type SessionRegistryOptions } from '../exchange/session-registry';
import { type ExecutionAccount, type ExecutionDeps, executeSignal } from '../execution/execute-signal';
import { OrderWatch, type OrderWatchOptions } from '../execution/order-watch/order-watch';
import { OrderWatchList } from '../history/order-watch-list';
import { SignalStore } from '../history/signal-store';
import { type Logger } from '../observability/logger';
import { PromExecutionObserver } from '../observability/metrics-execution';
import { startMetricsPush } from '../observability/metrics-push';
import { SignalWorkers, type SignalWorkersOptions } from '../queue/signal-workers';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient } from '../redis/redis-client';

export interface WorkerProcess {
  /** Execution metrics, pushed to Redis for the web's `/metrics` (the engine reports into it). */
  observer: PromExecutionObserver;
  /** Pushes the metrics now (they are also pushed every few seconds). */
  pushMetrics(): Promise<void>;
  /** Stops taking jobs, finishes the ones in flight, closes sessions and Redis. Safe to call twice. */
  close(): Promise<void>;
}

const HEARTBEAT_MS = 5_000;

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface WorkerTuning {
  sessions?: Pick<SessionRegistryOptions, 'policy' | 'refreshIntervalMs'>;
  workers?: Pick<SignalWorkersOptions, 'lockDurationMs' | 'stalledIntervalMs'>;
  retry?: ExecutionDeps['retry'];
  /** How often worker metrics are pushed to Redis. @defaultValue 5000 */
  metricsPushMs?: number;
  /** The order watch (follower and reconciler) and the delay before its first look at a signal. */
  watch?: Pick<OrderWatchOptions, 'pollMs' | 'leaseMs' | 'tuning'> & { firstCheckDelayMs?: number };
}

/** Composition root of the worker process: sessions, execution, order watch, queue consumers, heartbeat. */
export async function startWorker(
  config: Config,
  logger: Logger,
  options: WorkerTuning = {},
): Promise<WorkerProcess> {
  const redis = createRedisClient({ ...config.redis, mode: 'blocking', connectionName: 'tradehook-worker' });
  const keys = redisKeys(config.prefix);
  const { firstCheckDelayMs, ...watchOptions } = options.watch ?? {};
  const history = new SignalStore(redis, keys, config.historyRetentionDays);
  const sessions = new SessionRegistry({
    accounts: config.accounts,
    redis,
    keys,
    paperBalances: config.paperBalances,
    paperFeeRate: config.paperFeeRate,
    logger,
    ...options.sessions,
    onBreakerChange: (accountId, state) => {
      redis.hset(keys.breakers, accountId, state).catch(() => undefined); // the next heartbeat retries
    },
  });
  await sessions.warmUp();
  const accounts = new Map<string, ExecutionAccount>(
    config.accounts.map((a) => [
      a.id,
      { id: a.id, defaultType: sessions.defaultType(a), symbols: a.symbols, maxOrderCost: a.maxOrderCost },
    ]),
  );
  const observer = new PromExecutionObserver({ processMetrics: true });
  const workers = new SignalWorkers({
    connection: redis,
    prefix: config.prefix,
    logger,
    concurrency: config.workerConcurrency,
    onAbandoned: async (signalId, reason) => {
      const error = {
        code: 'worker_crash_loop',
        message: `no worker could finish this signal (${reason}); check the exchange for its orders`,
      };
      if (await history.failIfOpen(signalId, error, Date.now()))
        logger.error('signal abandoned', { signalId, reason });
    },
    ...options.workers,
    process: async (signal, shutdown) => {
      const account = signal.alert.account;
      observer.signalStarted({ account, queueWaitMs: Date.now() - signal.receivedAt });
      const outcome = await executeSignal(signal, {
        accounts,
        session: (id) => sessions.get(id),
        history,
        logger,
        maxAgeSeconds: config.signalMaxAgeSeconds,
        retry: options.retry,
        shutdown,
        watchDelayMs: firstCheckDelayMs,
      });
      observer.signalFinished({ account, status: outcome.status });
      return outcome;
    },
  });
  await workers.start();
  const watch = new OrderWatch({
    list: new OrderWatchList(redis, keys),
    store: history,
    session: (id) => sessions.get(id),
    logger,
    ...watchOptions,
  });
  watch.start();

  const workerId = randomUUID();
  // The heartbeat carries the breakers' states: the web process (which never loads ccxt) serves them.
  const beat = () =>
    redis
      .multi()
      .hset(keys.workerHeartbeat, workerId, String(Date.now()))
      .hset(keys.breakers, { ...sessions.breakerStates(), updatedAt: String(Date.now()) })
      .exec()
      .catch((error: Error) => {
        logger.warn('worker heartbeat failed', { error: error.message });
      });
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  const metricsPush = startMetricsPush({
    redis,
    key: keys.workerMetrics,
    workerId,
    registry: observer.registry,
    logger,
    intervalMs: options.metricsPushMs,
  });
  logger.info('worker started', { accounts: config.accounts.map((a) => `${a.id}:${a.exchange}`).join(',') });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    clearInterval(heartbeat);
    await metricsPush.stop();
    await Promise.all([workers.close(20_000), watch.close()]);
    await redis.hdel(keys.workerHeartbeat, workerId).catch(() => undefined);
    await sessions.close();
    await closeRedis(redis);
  };
  return {
    observer,
    pushMetrics: () => metricsPush.push(),
    // Idempotent: a shutdown signal and a test's teardown may both ask.
    close: () => (closing ??= close()),
  };
}
