import { Router, type NextFunction, type Request, type Response } from 'express';
import { type AuditActor, type AuditLog } from '../audit/audit-log';
import { type KeyAuthenticator, type Principal } from '../keys/key-authenticator';
import { type Logger } from '../observability/logger';
import { toApiError } from './api-error';
import { jsonBodyReader } from './json-body';
import { type ApiRegistry } from './registry';
import { authenticateRequest, checkOrigin, requireRole, setRateLimitHeaders } from './request-auth';
import { type ApiRoute, type RouteResult, isWrite } from './route';
import { parsePart } from './validation';

export interface ApiRouterOptions {
  registry: ApiRegistry;
  authenticator: KeyAuthenticator;
  audit: AuditLog;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * The `/api/v1` router: for each registered route, in order — authentication (401/429), same-origin check
 * of cookie writes and role (403), body (415/413/400), params/query/body validation (400), the handler, the
 * answer, and an audit entry for every write made by a known caller (success or not). Mount it under
 * `/api/v1` only: none of this runs for the webhook.
 */
export function apiRouter(options: ApiRouterOptions): Router {
  const router = Router();
  const readBody = jsonBodyReader();
  const now = options.now ?? Date.now;
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  for (const route of options.registry.routes()) {
    router[route.method](route.path, async (req: Request, res: Response) => {
      const started = now();
      let principal: Principal | undefined;
      let result: RouteResult | undefined;
      try {
        if (route.access !== 'public') {
          principal = await authenticateRequest(req, options.authenticator);
          setRateLimitHeaders(res, principal);
          checkOrigin(req, principal);
          requireRole(principal, route.access);
        }
        const params = route.params ? parsePart(route.params, req.params, 'params') : undefined;
        const query = route.query ? parsePart(route.query, { ...req.query }, 'query') : undefined;
        const body = route.body ? parsePart(route.body, await readBody(req, res), 'body') : undefined;
        result = await route.handler({
          params,
          query,
          body,
          principal,
          requestId: req.requestId,
          now: started,
          req,
        });
        send(res, result);
      } catch (error) {
        renderApiError(res, req, error, options.logger);
      }
      await auditWrite({ route, req, res, principal, result, audit: options.audit, logger: options.logger });
      options.logger.info('api request', {
        requestId: req.requestId,
        operation: route.operationId,
        status: res.statusCode,
        ...(principal ? { keyId: principal.keyId } : {}),
      });
    });
  }
  router.use((req: Request, res: Response) => {
    res
      .status(404)
      .json({ error: 'not_found', message: `no route for ${req.method} ${req.baseUrl}${req.path}` });
  });
  // Errors raised before a route's handler (a malformed path, say) get the API's shapes too.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    renderApiError(res, req, error, options.logger);
  });
  return router;
}

function send(res: Response, result: RouteResult): void {
  if (result.streamed) return;
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined || result.status === 204) res.end();
  else res.json(result.body);
}

/**
 * Answers an error in the API's shape (status, headers, `{ error, message }`) and logs it: a bug (500) as an
 * error with its stack, a dependency down (503) as a warning, a refusal with details as a warning.
 */
export function renderApiError(res: Response, req: Request, error: unknown, logger: Logger): void {
  if (res.headersSent) return;
  const apiError = toApiError(error);
  if (apiError.code === 'internal_error') {
    logger.error('api error', {
      requestId: req.requestId,
      error: (error as Error).message,
      stack: (error as Error).stack,
    });
  } else if (apiError.status === 503) {
    // A dependency down is expected and says so in the answer: a warning, no stack.
    logger.warn('api request unavailable', {
      requestId: req.requestId,
      error: apiError.code,
      reason: (error as Error).message,
    });
  } else if (apiError.details) {
    logger.warn('api request refused', {
      requestId: req.requestId,
      error: apiError.code,
      ...apiError.details,
    });
  }
  for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
  res.status(apiError.status).json(apiError.body());
}

/**
 * Appends the audit entry of a write. Only writes by a known caller are audited (an unauthenticated or
 * rate-limited request is only logged, or a flood of them would flood the trail). A failed append does not
 * undo the answer already given: it is logged as an error to be seen.
 */
async function auditWrite(input: {
  route: ApiRoute;
  req: Request;
  res: Response;
  principal?: Principal;
  result?: RouteResult;
  audit: AuditLog;
  logger: Logger;
}): Promise<void> {
  const { route, req, res, principal, result } = input;
  if (!isWrite(route.method) || !route.audit) return;
  const actor: AuditActor | undefined =
    result?.audit?.actor ??
    (principal ? { keyId: principal.keyId, keyName: principal.keyName, via: principal.via } : undefined);
  if (!actor) return;
  let target: string | null = result?.audit?.target ?? null;
  if (target === null && route.audit.target) {
    try {
      target = route.audit.target(req.params);
    } catch {
      target = null;
    }
  }
  try {
    await input.audit.append({
      actor,
      action: result?.audit?.action ?? route.audit.action,
      target,
      requestId: req.requestId,
      status: res.statusCode,
      outcome: res.statusCode < 400 ? 'success' : 'failure',
    });
  } catch (error) {
    input.logger.error('audit entry not written', {
      requestId: req.requestId,
      action: result?.audit?.action ?? route.audit.action,
      error: (error as Error).message,
    });
  }
}
