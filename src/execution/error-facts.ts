import { AppError } from '../errors/app-error';

/** An error as execution reasons about it: by `kind` and `code`, never by class (STYLE rule 5). */
export interface ErrorFacts {
  kind: string;
  code: string;
  message: string;
}

/** The facts of any thrown value; anything that is not one of ours is a permanent `unexpected` error. */
export function errorFacts(error: unknown): ErrorFacts {
  if (error instanceof AppError) return error;
  const e = error as { kind?: unknown; code?: unknown; message?: unknown } | undefined;
  if (typeof e?.kind === 'string' && typeof e.code === 'string') {
    return { kind: e.kind, code: e.code, message: String(e.message) };
  }
  return { kind: 'permanent', code: 'unexpected', message: (error as Error)?.message ?? String(error) };
}

/** A wait cut short by shutdown: the job is handed back to another worker, never ended. */
export const isShutdown = (error: unknown): boolean =>
  (error as Error | undefined)?.name === 'ShutdownInterrupt';

/**
 * Codes of transient failures that prove the request never reached the exchange: the breaker refused the
 * call, or the session held it back because its attempt had timed out before it was signed.
 */
const NOT_SENT: ReadonlySet<string> = new Set(['circuit_open', 'not_sent']);

/** Whether a failed createOrder provably never left (see NOT_SENT). */
export const neverSent = (error: unknown): boolean => NOT_SENT.has(errorFacts(error).code);

/**
 * Whether a failed createOrder may nevertheless have placed the order: any transient failure (a timeout, a
 * lost answer, a 5xx) except those that prove nothing was sent, and `duplicate_order_id` (an order with
 * that client id exists). A permanent refusal (insufficient funds, invalid order) placed nothing.
 */
export function mayHavePlaced(error: unknown): boolean {
  const facts = errorFacts(error);
  if (facts.code === 'duplicate_order_id') return true;
  return facts.kind === 'transient' && !NOT_SENT.has(facts.code);
}
