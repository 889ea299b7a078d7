import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { type TrustProxy } from '../config/parsers';
import { type Logger } from '../observability/logger';
import { errorHandler, notFound } from './error-handlers';
import { dashboardRouter } from './dashboard-static';
import { type ReadinessProbe, healthRoutes } from './health-routes';
import { requestId } from './request-id';
import { type WebhookFastPath } from './webhook-fast-path';

export interface WebAppDeps {
  /** The webhook on plain Node http, which serves it before Express sees it (webhook-fast-path.ts). */
  fast: Pick<WebhookFastPath, 'serveWebhook'>;
  logger: Logger;
  readiness: ReadinessProbe;
  trustProxy: TrustProxy;
  /** The operating surface (`/api/v1`, `/openapi.json`, `/metrics`, `/admin/queues`), mounted after the webhook. */
  operations?: Router;
}

/**
 * The Express side of the web process: readiness, the operating surface, the dashboard, 404s — every route
 * but the webhook and `/health`, which the fast path answers in front of it. Loaded on the first request
 * that needs it (src/main/web-process.ts). Listening and shutdown belong to the entry point.
 */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  const { fast } = deps;
  app.disable('x-powered-by');
  // Answers are tiny and never cached: an ETag is a hash per response for nothing.
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  // Declared here too, so that the app describes every route it serves (the OpenAPI coverage test reads
  // them); the fast path answers these before Express sees them, except `/webhook/` with a trailing slash.
  app.post('/webhook', (req, res) => fast.serveWebhook(req, res));
  app.post('/webhook/:token', (req, res) => fast.serveWebhook(req, res, req.params.token));
  app.use(helmet());
  app.use(requestId);
  app.use(healthRoutes(deps.readiness));
  if (deps.operations) app.use(deps.operations);
  // The browser console, after everything an alert or a script needs.
  app.use(dashboardRouter());
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
