import { type Redis } from 'ioredis';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { type Logger } from './logger';

/** A worker's snapshot older than this is ignored (and deleted): that worker is gone. */
export const WORKER_METRICS_STALE_MS = 30_000;

export interface MetricsPushOptions {
  redis: Redis;
  /** The hash of snapshots (`redisKeys(prefix).workerMetrics`). */
  key: string;
  workerId: string;
  registry: Registry;
  logger: Logger;
  /** @defaultValue 5000 */
  intervalMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * How a worker's metrics reach Prometheus: every few seconds the worker writes its registry (as JSON) into a
 * Redis hash, and the web's `/metrics` sums the fresh snapshots of every worker (prom-client's
 * `AggregatorRegistry.aggregate`, made for clusters). A Heroku worker dyno has no routable port to scrape,
 * and this needs none; the price is that a scrape sees worker figures up to `intervalMs` old.
 */
export function startMetricsPush(options: MetricsPushOptions): {
  push(): Promise<void>;
  stop(): Promise<void>;
} {
  const now = options.now ?? Date.now;
  const push = async () => {
    const metrics = await options.registry.getMetricsAsJSON();
    await options.redis.hset(options.key, options.workerId, JSON.stringify({ at: now(), metrics }));
  };
  const timer = setInterval(() => {
    push().catch((error: Error) =>
      options.logger.debug('worker metrics not pushed', { error: error.message }),
    );
  }, options.intervalMs ?? 5000);
  timer.unref();
  return {
    push,
    async stop() {
      clearInterval(timer);
      await options.redis.hdel(options.key, options.workerId).catch(() => undefined);
    },
  };
}

type Snapshot = Parameters<typeof AggregatorRegistry.aggregate>[0][number];

/**
 * The sum of every worker's fresh snapshot, as a registry to merge into the web's; undefined when no worker
 * has pushed lately. Stale snapshots (a worker that died without a goodbye) are deleted.
 */
export async function readWorkerMetrics(
  redis: Redis,
  key: string,
  options: { now: number; staleMs?: number },
): Promise<Registry | undefined> {
  const all = await redis.hgetall(key);
  const fresh: Snapshot[] = [];
  const stale: string[] = [];
  for (const [workerId, json] of Object.entries(all)) {
    try {
      const snapshot = JSON.parse(json) as { at: number; metrics: Snapshot };
      if (options.now - snapshot.at <= (options.staleMs ?? WORKER_METRICS_STALE_MS))
        fresh.push(snapshot.metrics);
      else stale.push(workerId);
    } catch {
      stale.push(workerId);
    }
  }
  if (stale.length > 0) await redis.hdel(key, ...stale);
  return fresh.length > 0 ? AggregatorRegistry.aggregate(fresh) : undefined;
}
