import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { type AuditLog } from '../audit/audit-log';
import { type KeyAuthenticator, type Principal } from '../keys/key-authenticator';
import { type Logger } from '../observability/logger';
import { type QueueCatalog } from '../queue/queue-catalog';
import { renderApiError } from './api-router';
import { authenticateRequest, checkOrigin, requireRole } from './request-auth';

/** Where Bull Board is served. */
export const BULL_BOARD_PATH = '/admin/queues';

export interface BullBoardOptions {
  catalog: QueueCatalog;
  authenticator: KeyAuthenticator;
  audit: AuditLog;
  logger: Logger;
}

interface Board {
  router: RequestHandler;
  sync(): void;
}

/**
 * Bull Board at `/admin/queues`, for admin keys only (bearer, or the dashboard's session cookie; writes
 * through the cookie must be same-origin), over every queue of the catalog — including queues registered
 * after start. Bull Board is loaded on the first request, so the web process does not pay for it at boot.
 * Its writes (retry, remove, clean…) are audited like API writes; signal queues are read-only there.
 */
export function bullBoardRouter(options: BullBoardOptions): Router {
  const router = Router();
  let board: Promise<Board> | undefined;

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    let principal: Principal;
    try {
      principal = await authenticateRequest(req, options.authenticator);
      checkOrigin(req, principal);
      requireRole(principal, 'admin');
    } catch (error) {
      renderApiError(res, req, error, options.logger);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') auditOnFinish(req, res, principal, options);
    board ??= loadBoard(options.catalog);
    const loaded = await board;
    loaded.sync();
    loaded.router(req, res, next);
  });
  return router;
}

async function loadBoard(catalog: QueueCatalog): Promise<Board> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  const adapters = () =>
    catalog.list().map(({ queue, readOnly }) => new BullMQAdapter(queue, { readOnlyMode: readOnly }));
  const api = createBullBoard({
    queues: adapters(),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tradehook queues' } },
  });
  let version = catalog.version;
  return {
    router: serverAdapter.getRouter() as RequestHandler,
    sync() {
      if (catalog.version === version) return;
      version = catalog.version;
      api.replaceQueues(adapters());
    },
  };
}

function auditOnFinish(req: Request, res: Response, principal: Principal, options: BullBoardOptions): void {
  const target = `${req.method} ${BULL_BOARD_PATH}${req.path}`;
  res.on('finish', () => {
    options.audit
      .append({
        actor: { keyId: principal.keyId, keyName: principal.keyName, via: principal.via },
        action: 'queues.change',
        target,
        requestId: req.requestId,
        status: res.statusCode,
        outcome: res.statusCode < 400 ? 'success' : 'failure',
      })
      .catch((error: Error) =>
        options.logger.error('audit entry not written', { requestId: req.requestId, error: error.message }),
      );
  });
}
