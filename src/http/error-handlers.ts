import type { NextFunction, Request, Response } from 'express';
import { type Logger } from '../observability/logger';

/** JSON 404 for every unknown route. */
export function notFound(req: Request, res: Response): void {
  res.status(404).json({
    error: 'not_found',
    message: `no route for ${req.method} ${req.path.split('/').slice(0, 2).join('/')}`,
  });
}

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
}

/**
 * The last middleware: body-parser's errors become the 4xx they stand for; anything else is a 500 with a
 * generic body (never a stack trace), logged with the request id.
 */
export function errorHandler(logger: Logger) {
  return (error: HttpError, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (error.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: 'payload_too_large', message: `the body must be at most ${error.limit} bytes` });
      return;
    }
    if (status >= 400 && status < 500) {
      res
        .status(status)
        .json({ error: 'bad_request', message: error.type ? error.type.replace(/\./g, ' ') : 'bad request' });
      return;
    }
    logger.error('unhandled error', { requestId: req.requestId, error: error.message, stack: error.stack });
    res
      .status(500)
      .json({ error: 'internal_error', message: 'something went wrong', requestId: req.requestId });
  };
}
