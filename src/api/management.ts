import { Router } from 'express';
import { type Redis } from 'ioredis';
import { AuditLog } from '../audit/audit-log';
import { type Config } from '../config/config';
import { type ReadinessProbe } from '../http/health-routes';
import { installBootstrapKey } from '../keys/bootstrap-key';
import { KeyAuthenticator } from '../keys/key-authenticator';
import { KeyStore } from '../keys/key-store';
import { SessionStore, type SessionTimes } from '../keys/session-store';
import { type Logger } from '../observability/logger';
import { type AlertObservation, WebMetrics } from '../observability/metrics-web';
import { createReadinessProbe } from '../observability/readiness';
import { QueueCatalog } from '../queue/queue-catalog';
import { redisKeys } from '../redis/keys';
import { backoffMs } from '../util/backoff';
import { apiRouter } from './api-router';
import { BULL_BOARD_PATH, bullBoardRouter } from './bull-board';
import { METRICS_OPERATION, metricsRoute } from './metrics-route';
import { buildOpenApiDocument } from './openapi';
import { API_BASE_PATH, ApiRegistry } from './registry';
import { auditRoutes } from './routes/audit-routes';
import { keyRoutes } from './routes/key-routes';
import { sessionRoutes } from './routes/session-routes';

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
}

export interface ManagementOptions extends ManagementTuning {
  config: Config;
  /** The web's fail-fast connection. */
  redis: Redis;
  /** The connection BullMQ queues use in the web process. */
  queueConnection: Redis;
  logger: Logger;
}

/** The operating surface of the web process, mounted after the webhook by `createWebApp`. */
export interface Management {
  /** `/api/v1/*`, `/openapi.json`, `/metrics`, `/admin/queues`. */
  router: Router;
  readiness: ReadinessProbe;
  /** Counts an answered alert (the webhook calls it). */
  observeAlert(observation: AlertObservation): void;
  registry: ApiRegistry;
  /** Queues shown by Bull Board and `/metrics`; register more (notifications) here. */
  catalog: QueueCatalog;
  /** Resolves once `ADMIN_API_KEY` is installed (at once when unset). */
  bootstrapped: Promise<void>;
  close(): Promise<void>;
}

/** Composes keys, sessions, audit, the API routes, metrics, readiness and Bull Board. */
export function createManagement(options: ManagementOptions): Management {
  const { config, redis, logger } = options;
  const now = options.now ?? Date.now;
  const keys = redisKeys(config.prefix);
  const store = new KeyStore(redis, keys);
  const sessions = new SessionStore(redis, keys, options.sessions);
  const audit = new AuditLog(redis, keys.audit, {
    retentionMs: config.historyRetentionDays * 86_400_000,
    now,
  });
  const authenticator = new KeyAuthenticator({
    store,
    sessions,
    defaultRateLimitPerMinute: config.apiRateLimitPerMinute,
    now,
  });
  const catalog = QueueCatalog.withSignalQueues(options.queueConnection, config.prefix);
  const metricsOn = options.metrics ?? true;
  const metrics = new WebMetrics({
    redis,
    keys,
    catalog,
    accounts: config.accounts.map((a) => a.id),
    processMetrics: metricsOn,
    now,
  });
  const registry = new ApiRegistry().add(
    ...keyRoutes({ store, defaultRateLimitPerMinute: config.apiRateLimitPerMinute }),
    ...sessionRoutes({ authenticator, store, sessions }),
    ...auditRoutes({ audit }),
  );
  registry.document(METRICS_OPERATION);

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

  const stop = new AbortController();
  const bootstrapped = config.adminApiKey
    ? retryUntilDone(
        () => installBootstrapKey({ store, audit, logger, rawKey: config.adminApiKey, now: now() }),
        { logger, signal: stop.signal },
      )
    : Promise.resolve();

  return {
    router,
    readiness: createReadinessProbe({ redis, keys, now }),
    observeAlert: metricsOn ? (observation) => metrics.observeAlert(observation) : () => undefined,
    registry,
    catalog,
    bootstrapped,
    async close() {
      stop.abort();
      await catalog.close();
    },
  };
}

/** Installs the bootstrap key even when Redis comes up after the web process: retried with backoff. */
async function retryUntilDone(
  task: () => Promise<void>,
  options: { logger: Logger; signal: AbortSignal },
): Promise<void> {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    try {
      await task();
      return;
    } catch (error) {
      if (attempt === 1)
        options.logger.warn('ADMIN_API_KEY not installed yet (Redis unavailable); retrying', {
          error: (error as Error).message,
        });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs(attempt, 500, 10_000));
        timer.unref();
        options.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
