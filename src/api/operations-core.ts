import { type Redis } from 'ioredis';
import { AuditLog } from '../audit/audit-log';
import { type Config } from '../config/config';
import { type ReadinessProbe } from '../http/health-routes';
import { installBootstrapKey } from '../keys/bootstrap-key';
import { KeyStore } from '../keys/key-store';
import { type Logger } from '../observability/logger';
import { type AlertObservation, WebMetrics } from '../observability/metrics-web';
import { createReadinessProbe } from '../observability/readiness';
import { QueueCatalog } from '../queue/queue-catalog';
import { type RedisKeys, redisKeys } from '../redis/keys';
import { backoffMs } from '../util/backoff';

export interface OperationsCoreOptions {
  config: Config;
  /** The web's fail-fast connection. */
  redis: Redis;
  /** The connection BullMQ queues use in the web process. */
  queueConnection: Redis;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
  /** Count alerts and collect process metrics. @defaultValue true */
  metrics?: boolean;
}

/**
 * The part of the operating surface a web process needs from its start, before anyone opens the API:
 * the alert counter (every webhook answer is counted) and the process metrics, the readiness probe, the
 * queue catalog `/metrics` and Bull Board read, and the installation of `ADMIN_API_KEY`. The rest — the
 * management API, the docs, the dashboard, Express itself — is loaded on the first request that needs it
 * (src/main/web-process.ts), so a web dyno that only takes alerts never holds it in memory.
 */
export interface OperationsCore {
  keys: RedisKeys;
  store: KeyStore;
  audit: AuditLog;
  catalog: QueueCatalog;
  metrics: WebMetrics;
  readiness: ReadinessProbe;
  /** Counts an answered alert (the webhook calls it). */
  observeAlert(observation: AlertObservation): void;
  /** Resolves once `ADMIN_API_KEY` is installed (at once when unset). */
  bootstrapped: Promise<void>;
  close(): Promise<void>;
}

export function createOperationsCore(options: OperationsCoreOptions): OperationsCore {
  const { config, redis, logger } = options;
  const now = options.now ?? Date.now;
  const keys = redisKeys(config.prefix);
  const store = new KeyStore(redis, keys);
  const audit = new AuditLog(redis, keys.audit, {
    retentionMs: config.historyRetentionDays * 86_400_000,
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
  const stop = new AbortController();
  const bootstrapped = config.adminApiKey
    ? retryUntilDone(
        () => installBootstrapKey({ store, audit, logger, rawKey: config.adminApiKey, now: now() }),
        { logger, signal: stop.signal },
      )
    : Promise.resolve();
  return {
    keys,
    store,
    audit,
    catalog,
    metrics,
    readiness: createReadinessProbe({ redis, keys, now }),
    observeAlert: metricsOn ? (observation) => metrics.observeAlert(observation) : () => undefined,
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
