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

/** The documented code of each 4xx an Express layer (router, body parser) can raise by itself. */
const CODES: Record<number, { error: string; message: string }> = {
  400: { error: 'invalid_request', message: 'the request could not be read' },
  404: { error: 'not_found', message: 'not found' },
  413: { error: 'payload_too_large', message: 'the body is too large' },
  415: { error: 'unsupported_media_type', message: 'the body is not in a supported format' },
};

/**
 * The last middleware: a 4xx raised by Express itself (a path whose %-escapes do not decode, a body
 * parser's refusal) becomes the documented `{ error, message }` of its status; anything else is a 500
 * with a generic body (never a stack trace), logged with the request id.
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
      const known = CODES[status] ?? CODES[400];
      const message =
        error instanceof URIError || /decode/i.test(error.message)
          ? 'the path could not be decoded: a %-escape in it is malformed'
          : known.message;
      res.status(CODES[status] ? status : 400).json({ error: known.error, message });
      return;
    }
    logger.error('unhandled error', { requestId: req.requestId, error: error.message, stack: error.stack });
    res
      .status(500)
      .json({ error: 'internal_error', message: 'something went wrong', requestId: req.requestId });
  };
}
