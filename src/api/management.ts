import { Router } from 'express';
import { type Redis } from 'ioredis';
import { type Config } from '../config/config';
import { AccountSnapshotStore } from '../control/account-snapshot';
import { PauseStore } from '../control/pause-store';
import { docsRoute } from '../http/docs-route';
import { HEALTH_OPERATIONS, REFERENCE_OPERATIONS, WEBHOOK_OPERATIONS } from '../http/docs-route-operations';
import { KeyAuthenticator } from '../keys/key-authenticator';
import { SessionStore, type SessionTimes } from '../keys/session-store';
import { type Logger } from '../observability/logger';
import { apiRouter } from './api-router';
import { type OperationsCore } from './operations-core';
import { BULL_BOARD_PATH, bullBoardRouter } from './bull-board';
import { METRICS_OPERATION, metricsRoute } from './metrics-route';
import { buildOpenApiDocument } from './openapi';
import { API_BASE_PATH, ApiRegistry } from './registry';
import { flattenRoute } from './routes/account-flatten-route';
import { accountRoutes } from './routes/account-routes';
import { auditRoutes } from './routes/audit-routes';
import { deliveryRoutes } from './routes/delivery-routes';
import { keyRoutes } from './routes/key-routes';
import { pauseRoutes } from './routes/pause-routes';
import { sessionRoutes } from './routes/session-routes';
import { signalRoutes } from './routes/signal-routes';
import { type SignalIntake, signalSubmitRoute } from './routes/signal-submit-route';
import { DryRunClient } from '../dryrun/dry-run-client';
import { connectionOptions } from '../redis/redis-client';
import { deadLetterRoutes } from './routes/dead-letter-routes';
import { DeadLetterList } from '../history/dead-letter';
import { SignalQuery } from '../history/signal-query';
import { SignalStore } from '../history/signal-store';
import { type SignalQueue } from '../queue/signal-queue';
import { subscriptionRoutes } from './routes/subscription-routes';
import { type EventStreamTuning, eventRoutes } from './routes/event-routes';
import { systemRoutes } from './routes/system-routes';
import { statsRoutes } from './routes/stats-routes';
import { StatsQuery } from '../stats/stats-query';
import { EventLog } from '../events/event-log';
import { type NotifyTuning, createNotifyParts } from '../notify/notify-parts';

/** Knobs for tests; production uses the defaults. */
export interface ManagementTuning {
  /** The clock of keys, sessions, audit and readiness. @defaultValue Date.now */
  now?: () => number;
  sessions?: SessionTimes;
  /**
   * Count alerts and collect process metrics (the metrics-overhead benchmark turns it off to compare).
   * @defaultValue true
   */
  metrics?: boolean;
  /** Outbound notifications (the test ping is sent from the web process). */
  notify?: NotifyTuning;
  /** `GET /api/v1/events`: poll and heartbeat intervals. */
  events?: EventStreamTuning;
  /** How long `POST /api/v1/signals?dryRun=true` waits for a worker's answer. @defaultValue 10000 */
  dryRunTimeoutMs?: number;
}

export interface ManagementOptions extends ManagementTuning {
  config: Config;
  /** What the web process built at its start (metrics, catalog, readiness, the bootstrap key). */
  core: OperationsCore;
  /** The web's fail-fast connection. */
  redis: Redis;
  /** The connection BullMQ queues use in the web process. */
  queueConnection: Redis;
  /** The web's signal producer (retries re-queue through it). */
  signalQueue: SignalQueue;
  /** The webhook's acceptance, which `POST /api/v1/signals` goes through. */
  intake: SignalIntake;
  logger: Logger;
}

/**
 * The operating surface of the web process, mounted after the webhook by `createWebApp`. What runs from the
 * start (metrics, readiness, queue catalog, bootstrap key) is the {@link OperationsCore} it was built on.
 */
export interface Management {
  /** `/api/v1/*`, `/openapi.json`, `/metrics`, `/admin/queues`. */
  router: Router;
  registry: ApiRegistry;
  /** Ends every live event stream (`GET /api/v1/events`), first thing on shutdown. */
  closeStreams(): void;
  /** Closes what the API opened (the dry run's connection); the core is closed by its owner. */
  close(): Promise<void>;
}

/** Composes keys, sessions, audit, the API routes, metrics, readiness and Bull Board. */
export function createManagement(options: ManagementOptions): Management {
  const { config, redis, logger, core } = options;
  const now = options.now ?? Date.now;
  const { keys, store, audit, catalog, metrics, readiness, observeAlert } = core;
  const sessions = new SessionStore(redis, keys, options.sessions);
  const authenticator = new KeyAuthenticator({
    store,
    sessions,
    defaultRateLimitPerMinute: config.apiRateLimitPerMinute,
    now,
  });
  const notify = createNotifyParts({
    config,
    redis,
    queueConnection: options.queueConnection,
    logger,
    now,
    tuning: options.notify,
  });
  catalog.register(notify.queue.queue, { readOnly: true });
  // Live event streams end when the process shuts down (they would otherwise hold the server open).
  const streams = new AbortController();
  const pauses = new PauseStore(redis, keys);
  // Its transitions keep the statistics: a retry (failed → queued) takes the failed signal out of them.
  const signalStore = new SignalStore(redis, keys, config.historyRetentionDays, { now, logger });
  const dryRuns = new DryRunClient({
    connection: options.queueConnection,
    events: connectionOptions({ ...config.redis, mode: 'blocking', connectionName: 'tradehook-web-dry-run' }),
    prefix: config.prefix,
    heartbeats: async () => Object.values(await redis.hgetall(keys.workerHeartbeat)).map(Number),
    timeoutMs: options.dryRunTimeoutMs,
  });
  const registry = new ApiRegistry().add(
    ...keyRoutes({ store, defaultRateLimitPerMinute: config.apiRateLimitPerMinute }),
    ...sessionRoutes({ authenticator, store, sessions }),
    ...auditRoutes({ audit }),
    ...signalRoutes({
      query: new SignalQuery(redis, keys),
      store: signalStore,
      queue: options.signalQueue,
      redis,
      keys,
    }),
    signalSubmitRoute({
      intake: options.intake,
      dryRun: dryRuns,
      accounts: config.accounts.map((a) => a.id),
      redis,
      keys,
      observeAlert,
    }),
    ...deadLetterRoutes({ deadLetters: new DeadLetterList(redis, keys), redis, keys }),
    ...systemRoutes({ redis, keys, catalog, readiness }),
    ...statsRoutes({ query: new StatsQuery(redis, keys) }),
    ...eventRoutes({
      events: new EventLog({ redis, key: keys.events }),
      keys: store,
      sessions,
      logger,
      shutdown: streams.signal,
      ...options.events,
    }),
    ...subscriptionRoutes({
      service: notify.service,
      store: notify.subscriptions,
      actions: notify.actions,
      allowInsecureUrls: config.notify.allowInsecureUrls,
    }),
    ...deliveryRoutes({ deliveries: notify.deliveries, actions: notify.actions }),
    ...accountRoutes({
      accounts: config.accounts.map(({ id, exchange, paper, sandbox, defaultType }) => ({
        id,
        exchange,
        paper,
        sandbox,
        defaultType,
      })),
      snapshots: new AccountSnapshotStore(redis, keys),
      pauses,
      redis,
      keys,
    }),
    ...pauseRoutes({ pauses, accounts: config.accounts.map((a) => a.id) }),
    flattenRoute({
      queue: options.signalQueue,
      history: signalStore,
      accounts: config.accounts.map((a) => a.id),
    }),
  );
  registry.document(METRICS_OPERATION, ...WEBHOOK_OPERATIONS, ...HEALTH_OPERATIONS, ...REFERENCE_OPERATIONS);

  const router = Router();
  router.use(API_BASE_PATH, apiRouter({ registry, authenticator, audit, logger, now }));
  let document: Promise<object> | undefined;
  router.get('/openapi.json', async (_req, res) => {
    document ??= buildOpenApiDocument(registry, {
      title: 'tradehook',
      version: API_BASE_PATH.slice(-2),
      description: 'TradingView alerts to exchange orders: the management API (docs/contract.md).',
    });
    res.json(await document);
  });
  router.use(docsRoute());
  router.use(
    metricsRoute({
      web: metrics,
      redis,
      workerMetricsKey: keys.workerMetrics,
      token: config.metricsToken,
      logger,
      now,
    }),
  );
  router.use(BULL_BOARD_PATH, bullBoardRouter({ catalog, authenticator, audit, logger }));

  return {
    router,
    registry,
    closeStreams: () => streams.abort(),
    async close() {
      streams.abort();
      await dryRuns.close();
    },
  };
}
