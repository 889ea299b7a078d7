import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { type Redis } from 'ioredis';
import { type TrustProxy } from '../config/parsers';
import { type IntakeService } from '../intake/intake-service';
import { type Logger } from '../observability/logger';
import { errorHandler, notFound } from './error-handlers';
import { type ReadinessProbe, healthRoutes } from './health-routes';
import { requestId } from './request-id';
import { type WebhookRouteOptions, webhookRoutes } from './webhook-routes';

export interface WebAppDeps {
  intake: IntakeService;
  redis: Redis;
  logger: Logger;
  readiness: ReadinessProbe;
  trustProxy: TrustProxy;
  ipAllowlist: string[];
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  rateLimitPrefix: string;
  /** Counts each answered alert for `/metrics`. */
  onAlert?: WebhookRouteOptions['onAlert'];
  /** The operating surface (`/api/v1`, `/openapi.json`, `/metrics`, `/admin/queues`), mounted after the webhook. */
  operations?: Router;
}

/** The web process's Express app: intake, health, operations. Listening and shutdown belong to the entry point. */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are tiny and never cached: an ETag is a hash per response for nothing.
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(helmet());
  app.use(requestId);
  app.use(webhookRoutes(deps));
  app.use(healthRoutes(deps.readiness));
  if (deps.operations) app.use(deps.operations);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
