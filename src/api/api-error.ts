import { AppError } from '../errors/app-error';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { type ValidationIssue } from '../signals/alert';

/** Every error code the management API answers, with its status (docs/contract.md, README). */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_signal: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
  worker_unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export interface ApiErrorOptions {
  /** Field problems of an `invalid_request`. */
  issues?: ValidationIssue[];
  /** Headers of the answer, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** For the log only, never answered (e.g. why authentication failed). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An answer other than success, thrown anywhere in a route's pipeline and rendered by the API router as
 * `{ "error": code, "message", "issues"? }` with the code's status.
 */
export class ApiError extends AppError {
  readonly status: number;
  readonly issues?: ValidationIssue[];
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, {
      code,
      kind: code === 'internal_error' ? 'transient' : 'invalid_input',
      cause: options.cause,
      details: options.details,
    });
    this.status = API_ERROR_STATUS[code];
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** The 401 every authentication failure gets: it never says whether a key exists, expired or was revoked. */
export function unauthorized(reason: string): ApiError {
  return new ApiError('unauthorized', 'a valid API key (Authorization: Bearer th_…) or session is required', {
    details: { reason },
  });
}

/**
 * Seconds a client is asked to wait when Redis is unavailable: the web reconnects by itself within about 2 s
 * of Redis coming back (src/redis/redis-client.ts), so a retry a few seconds later is answered normally.
 */
export const REDIS_RETRY_AFTER_SECONDS = 5;

/** The 503 of a request that needed Redis while it was unavailable: nothing was done; retry later. */
export function redisUnavailable(cause: unknown): ApiError {
  return new ApiError(
    'unavailable',
    'Redis, where tradehook keeps its state, does not answer; retry shortly',
    {
      headers: { 'Retry-After': String(REDIS_RETRY_AFTER_SECONDS) },
      cause,
    },
  );
}

/**
 * The answer of anything thrown while serving a request: an {@link ApiError} as it is; Redis unavailable as
 * 503 `unavailable`; a body parser's 4xx as 400; anything else as 500 `internal_error` (a bug, to be seen).
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isRedisUnavailable(error)) return redisUnavailable(error);
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new ApiError('invalid_request', 'the request could not be understood', { cause: error });
  return new ApiError(
    'internal_error',
    'something went wrong; the request id is in the x-request-id header',
    { cause: error },
  );
}
