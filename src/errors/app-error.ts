/**
 * How an operator (or the retry machinery) should treat an error.
 * - `transient`: usually resolves itself; safe to retry the same call later.
 * - `permanent`: retrying cannot help; the signal must end with this error as its reason.
 * - `invalid_input`: the caller sent something wrong; answer 4xx, never retry.
 * - `config`: the deployment is misconfigured; requires operator intervention.
 */
export type ErrorKind = 'transient' | 'permanent' | 'invalid_input' | 'config';

export interface AppErrorOptions {
  /** Stable machine-readable code, e.g. `insufficient_funds`. */
  code: string;
  kind: ErrorKind;
  cause?: unknown;
  /** Extra structured detail safe to show to a user (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * Base class of every error tradehook raises on purpose. Across process or queue boundaries errors
 * are identified by `code`/`name`, never by `instanceof` (a job's error is re-created from JSON).
 */
export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind;
    this.details = options.details;
  }
}
