/**
 * The one place that tells "Redis cannot be reached or cannot serve now" from any other failure. Such an
 * error is answered `503 unavailable` with `Retry-After` (the call may simply be made again later); anything
 * else (a WRONGTYPE reply, a script bug, a TypeError) stays a 500 so that real bugs are not masked.
 */

/** What ioredis rejects a command with while the connection is down, closing or too slow. */
const CLIENT_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Command timed out$/,
  /^Reached the max retries per request limit/,
  /^Socket timeout\./,
  /^connect ETIMEDOUT$/,
  /^Ready check failed/,
];

/** Socket errors of the connection itself (`ECONNREFUSED` while Redis restarts, say). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Replies of a Redis that is up but cannot serve yet (loading its data, a busy script, a failover). */
const TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN) /;

/** How deep a `cause` chain is followed (an error wrapped by a store, then by a use case). */
const MAX_DEPTH = 5;

/** Whether `error` (or an error it wraps as `cause`) means Redis is unavailable rather than a bug. */
export function isRedisUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (a vm context, jest).
  for (let depth = 0; depth < MAX_DEPTH && isErrorLike(current); depth++) {
    const { name, message, code } = current;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (CLIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
    if (name === 'ReplyError' && TRANSIENT_REPLIES.test(message)) return true;
    current = current.cause;
  }
  return false;
}

function isErrorLike(
  value: unknown,
): value is { name: string; message: string; code?: unknown; cause?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const { name, message } = value as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string';
}
