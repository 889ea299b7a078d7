import express, { type Request, type Response } from 'express';
import { ApiError } from './api-error';

/** The management API's body limit: its bodies are small JSON objects. */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

interface BodyParserError extends Error {
  type?: string;
}

/**
 * Reads a JSON body, or throws the documented 4xx: 415 when it is not `application/json` (compressed bodies
 * too), 413 past the limit (a declared Content-Length over it is refused before reading), 400 when it is not
 * JSON. Parsing is body-parser's (express.json); only its errors are translated here.
 */
export function jsonBodyReader(limitBytes = API_BODY_LIMIT_BYTES) {
  const parse = express.json({ limit: limitBytes, strict: true, inflate: false, type: () => true });
  return async (req: Request, res: Response): Promise<unknown> => {
    if (!req.is('application/json'))
      throw new ApiError('unsupported_media_type', 'send the body as application/json');
    await new Promise<void>((resolve, reject) =>
      parse(req, res, (error?: unknown) =>
        error ? reject(translate(error as BodyParserError, limitBytes)) : resolve(),
      ),
    );
    return req.body as unknown;
  };
}

function translate(error: BodyParserError, limitBytes: number): ApiError {
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', `the body must be at most ${limitBytes} bytes`);
    case 'entity.parse.failed':
      return new ApiError('invalid_json', 'the body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'send the body as uncompressed UTF-8 application/json');
    default:
      return new ApiError('invalid_request', 'the body could not be read');
  }
}
