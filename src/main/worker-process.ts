import { randomUUID } from 'node:crypto';
import { type Config } from '../config/config';
import { AccountSnapshotStore } from '../control/account-snapshot';
import { BreakerEvents } from '../control/breaker-events';
import { PauseStore } from '../control/pause-store';
import { SessionRegistry, type SessionRegistryOptions } from '../exchange/session-registry';
import { EventLog } from '../events/event-log';
import { meteredSession } from '../exchange/metered-session';
import { SnapshotPublisher, type SnapshotPublisherOptions } from '../exchange/snapshot-publisher';
import { type ExecutionAccount, executeSignal } from '../execution/execute-signal';
import { type ExecutionDeps } from '../execution/execution-deps';
import { OrderWatch, type OrderWatchOptions } from '../execution/order-watch/order-watch';
import { waitWhileHeld } from '../execution/pause-gate';
import { dryRunSignal } from '../execution/dry-run';
import { readOnlyView } from '../execution/plan-on-session';
import { type RunSession } from '../execution/run-context';
import { startDryRunResponder } from '../dryrun/dry-run-responder';
import { OrderWatchList } from '../history/order-watch-list';
import { FanOut } from '../notify/fan-out';
import { startNotificationWorker } from '../notify/notification-worker';
import { NotifyMetrics } from '../notify/notify-metrics';
import { type NotifyTuning, createNotifyParts } from '../notify/notify-parts';
import { SignalStore } from '../history/signal-store';
import { HistoryRetention } from '../history/retention';
import { type Logger } from '../observability/logger';
import { PromExecutionObserver } from '../observability/metrics-execution';
import { startMetricsPush } from '../observability/metrics-push';
import { SignalWorkers, type SignalWorkersOptions } from '../queue/signal-workers';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient } from '../redis/redis-client';
import { systemClock } from '../util/clock';
import { watchRedis } from './redis-watch';

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
  /** Account snapshots: the debounce after a signal and the interval (`false`: none, for tests that count calls). */
  snapshots?: Pick<SnapshotPublisherOptions, 'debounceMs' | 'intervalMs'> | false;
  /** The order watch (follower and reconciler) and the delay before its first look at a signal. */
  watch?: Pick<OrderWatchOptions, 'pollMs' | 'leaseMs' | 'tuning'> & { firstCheckDelayMs?: number };
  /** Outbound notifications: resolver, attempt timeout, retry schedule, fan-out poll. */
  notify?: NotifyTuning;
}

/** Composition root of the worker process: sessions, execution, order watch, queue consumers, heartbeat. */
export async function startWorker(
  config: Config,
  logger: Logger,
  options: WorkerTuning = {},
): Promise<WorkerProcess> {
  const redis = createRedisClient({ ...config.redis, mode: 'blocking', connectionName: 'tradehook-worker' });
  watchRedis(redis, 'tradehook-worker', logger);
  const keys = redisKeys(config.prefix);
  const { firstCheckDelayMs, ...watchOptions } = options.watch ?? {};
  const history = new SignalStore(redis, keys, config.historyRetentionDays, { logger });
  const pauses = new PauseStore(redis, keys);
  const workerId = randomUUID();
  const breakerEvents = new BreakerEvents(new EventLog({ redis, key: keys.events }), workerId);
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
      breakerEvents.changed(accountId, state).catch((error: Error) => {
        logger.warn('breaker event not published', { account: accountId, state, error: error.message });
      });
    },
  });
  await sessions.warmUp();
  const accounts = new Map<string, ExecutionAccount & { exchange: string }>(
    config.accounts.map((a) => [
      a.id,
      {
        id: a.id,
        exchange: a.exchange,
        defaultType: sessions.defaultType(a),
        symbols: a.symbols,
        maxOrderCost: a.maxOrderCost,
      },
    ]),
  );
  const snapshots =
    options.snapshots === false
      ? undefined
      : new SnapshotPublisher({
          accounts: config.accounts.map((a) => ({
            id: a.id,
            exchange: a.exchange,
            paper: a.paper,
            sandbox: a.sandbox,
            defaultType: sessions.defaultType(a),
          })),
          session: (id) => sessions.get(id),
          breaker: (id) => sessions.breakerStates()[id],
          store: new AccountSnapshotStore(redis, keys),
          logger,
          ...options.snapshots,
        });
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
    admit: async (signal, shutdown) => {
      if (signal.alert.action === 'flatten') return;
      await waitWhileHeld(signal, {
        lookup: (accountId) => pauses.pauseOf(accountId),
        clock: systemClock,
        maxAgeSeconds: config.signalMaxAgeSeconds,
        baseDelayMs: options.retry?.holdBaseDelayMs,
        maxDelayMs: options.retry?.holdMaxDelayMs,
        shutdown,
      });
    },
    process: async (signal, shutdown) => {
      const account = signal.alert.account;
      observer.signalStarted({ account, queueWaitMs: Date.now() - signal.receivedAt });
      const outcome = await executeSignal(signal, {
        accounts,
        session: (id) =>
          meteredSession(sessions.get(id), {
            observer,
            account: id,
            receivedAt: signal.receivedAt,
            alertPrice: signal.alert.price,
          }),
        history,
        logger,
        maxAgeSeconds: config.signalMaxAgeSeconds,
        retry: options.retry,
        shutdown,
        watchDelayMs: firstCheckDelayMs,
        pauseOf: (accountId) => pauses.pauseOf(accountId),
      });
      observer.signalFinished({ account, status: outcome.status });
      snapshots?.requestSoon(account);
      return outcome;
    },
  });
  await workers.start();
  snapshots?.start();
  // Dry runs (`POST /api/v1/signals?dryRun=true`): planned on a queue of their own with a read-only view of
  // the sessions. One more Redis connection (BullMQ's blocking one for this queue).
  const dryRuns = startDryRunResponder({
    connection: redis,
    prefix: config.prefix,
    logger,
    plan: (request) =>
      dryRunSignal(request, {
        accounts,
        session: (id) => readOnlyView(sessions.get(id) as RunSession),
        pauseOf: (accountId) => pauses.pauseOf(accountId),
      }),
  });
  const watch = new OrderWatch({
    list: new OrderWatchList(redis, keys),
    store: history,
    session: (id) => sessions.get(id),
    logger,
    ...watchOptions,
  });
  watch.start();

  // Notifications run on connections of their own: a slow receiver or a burst of attempts never holds a
  // connection that order execution waits on.
  const notifyRedis = createRedisClient({
    ...config.redis,
    mode: 'blocking',
    connectionName: 'tradehook-notify',
  });
  const notifyMetrics = new NotifyMetrics(observer.registry);
  const notify = createNotifyParts({
    config,
    redis: notifyRedis,
    queueConnection: notifyRedis,
    logger,
    tuning: options.notify,
    onAttempt: (outcome, ms) => notifyMetrics.attempted(outcome, ms),
  });
  if (!config.notify.secretsKey)
    logger.warn('SUBSCRIPTION_SECRETS_KEY is not set: subscription secrets are stored unencrypted in Redis');
  // Reading every subscription upgrades records of older versions (a Discord/Slack url moved to the secret store).
  void notify.subscriptions
    .all()
    .catch((error: Error) =>
      logger.warn('subscriptions not upgraded at start (done on first read)', { error: error.message }),
    );
  const notificationWorker = startNotificationWorker({
    connection: notifyRedis,
    prefix: config.prefix,
    processor: notify.processor,
    logger,
    concurrency: config.notify.concurrency,
  });
  const fanOut = new FanOut({
    redis: notifyRedis,
    events: notify.events,
    subscriptions: notify.subscriptions,
    deliveries: notify.deliveries,
    scheduler: notify.queue,
    logger,
    keys: { cursor: notify.keys.notifyCursor, lease: notify.keys.notifyLease },
    pollMs: options.notify?.pollMs,
    retentionMs: config.notify.deliveryRetentionHours * 3_600_000,
  });
  fanOut.start();
  const retention = new HistoryRetention({
    redis,
    keys,
    retentionDays: config.historyRetentionDays,
    events: new EventLog({ redis, key: keys.events }),
    logger,
  });
  retention.start();

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
    await Promise.all([
      workers.close(20_000),
      dryRuns.close(),
      watch.close(),
      fanOut.close(),
      notificationWorker.close(),
      retention.close(),
    ]);
    await notify.queue.close();
    await snapshots?.close();
    await redis.hdel(keys.workerHeartbeat, workerId).catch(() => undefined);
    await sessions.close();
    await Promise.all([closeRedis(redis), closeRedis(notifyRedis)]);
  };
  return {
    observer,
    pushMetrics: () => metricsPush.push(),
    // Idempotent: a shutdown signal and a test's teardown may both ask.
    close: () => (closing ??= close()),
  };
}
