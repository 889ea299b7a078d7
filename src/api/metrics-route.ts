import { Router } from 'express';
import { type Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { secretsEqual } from '../keys/key-material';
import { type Logger } from '../observability/logger';
import { readWorkerMetrics } from '../observability/metrics-push';
import { type WebMetrics } from '../observability/metrics-web';
import { errorBodySchema } from './openapi';
import { type DocumentedOperation } from './registry';

/** `/metrics` in `/openapi.json`. */
export const METRICS_OPERATION: DocumentedOperation = {
  method: 'get',
  path: '/metrics',
  operation: {
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of the web process and the sum of every worker',
    description: 'Protected by `METRICS_TOKEN` when it is set: `Authorization: Bearer <METRICS_TOKEN>`.',
    tags: ['operations'],
    security: [{ metricsToken: [] }, {}],
    responses: {
      '200': {
        description: 'Prometheus text format.',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      '401': {
        description: 'METRICS_TOKEN is set and was not sent.',
        content: { 'application/json': { schema: errorBodySchema } },
      },
    },
  },
};

export interface MetricsRouteOptions {
  web: WebMetrics;
  redis: Redis;
  /** The hash the workers push their metrics to. */
  workerMetricsKey: string;
  /** `METRICS_TOKEN`: when set, scrapes must send `Authorization: Bearer <token>`. */
  token: string;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
}

/** `GET /metrics`: this web process's metrics, the scrape-time gauges and the sum of every worker's. */
export function metricsRoute(options: MetricsRouteOptions): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  router.get('/metrics', async (req, res) => {
    if (options.token !== '') {
      const presented = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (!secretsEqual(presented, options.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res
          .status(401)
          .json({ error: 'unauthorized', message: 'send Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
    }
    await options.web.refresh();
    const registries = [options.web.registry];
    try {
      const workers = await readWorkerMetrics(options.redis, options.workerMetricsKey, { now: now() });
      if (workers) registries.push(workers);
    } catch (error) {
      options.logger.warn('worker metrics not read', { error: (error as Error).message });
    }
    const merged = Registry.merge(registries);
    res.setHeader('Content-Type', merged.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(await merged.metrics());
  });
  return router;
}
