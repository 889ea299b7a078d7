import * as ccxt from 'ccxt';
import { AppError, type ErrorKind } from '../../errors/app-error';
import { ExchangeError, type ExchangeErrorCode } from './exchange-error';
import { redactCredentials } from './redact-credentials';

type CcxtErrorClass = new (message: string) => Error;

/**
 * ccxt error classes in the order they are tested: every class comes BEFORE its ancestors (most specific
 * first), so `instanceof` picks the closest mapping. Subclasses not listed inherit their parent's row
 * (`NullResponse` → `BadResponse`, `OrderNotCached` → `InvalidOrder`, `MarginModeAlreadySet` → `NoChange`,
 * `AccountNotEnabled` → `PermissionDenied`, `AddressPending` → `InvalidAddress`, `ChecksumError` →
 * `InvalidNonce`, `CancelPending` → `OperationFailed`, `UnsubscribeError` → `BaseError`).
 *
 * Kinds follow ccxt's own split: `NetworkError` and everything under it is transient. Two decisions:
 * - `InvalidNonce` is transient. In ccxt 4.5 it already sits under `NetworkError`; older ccxt put it under
 *   `ExchangeError`. Either way it means clock skew or two requests racing for a nonce, which a retry with a
 *   fresh timestamp fixes; it is listed before `NetworkError` only to give it its own code.
 * - `BadResponse`/`NullResponse`/`OperationFailed` (ccxt: "not caused by the user") are transient: an HTML
 *   error page from a CDN or an empty body says nothing about the request itself. Order creation is never
 *   retried blindly anyway (see the exchange policy), so this only affects idempotent reads.
 */
const CCXT_ERROR_TABLE: ReadonlyArray<readonly [CcxtErrorClass, ExchangeErrorCode, ErrorKind]> = [
  [ccxt.RequestTimeout, 'timeout', 'transient'],
  [ccxt.OnMaintenance, 'maintenance', 'transient'],
  [ccxt.ExchangeNotAvailable, 'exchange_unavailable', 'transient'],
  [ccxt.RateLimitExceeded, 'rate_limited', 'transient'],
  [ccxt.DDoSProtection, 'rate_limited', 'transient'],
  [ccxt.InvalidNonce, 'invalid_nonce', 'transient'],
  [ccxt.NetworkError, 'network', 'transient'],
  [ccxt.BadResponse, 'bad_response', 'transient'],
  [ccxt.OperationFailed, 'operation_failed', 'transient'],
  [ccxt.PermissionDenied, 'permission_denied', 'permanent'],
  [ccxt.AccountSuspended, 'account_suspended', 'permanent'],
  [ccxt.AuthenticationError, 'authentication', 'permanent'],
  [ccxt.InsufficientFunds, 'insufficient_funds', 'permanent'],
  [ccxt.OrderNotFound, 'order_not_found', 'permanent'],
  [ccxt.DuplicateOrderId, 'duplicate_order_id', 'permanent'],
  [ccxt.OrderImmediatelyFillable, 'post_only_rejected', 'permanent'],
  [ccxt.OrderNotFillable, 'order_not_fillable', 'permanent'],
  [ccxt.ContractUnavailable, 'contract_unavailable', 'permanent'],
  [ccxt.InvalidOrder, 'invalid_order', 'permanent'],
  [ccxt.BadSymbol, 'bad_symbol', 'permanent'],
  [ccxt.BadRequest, 'bad_request', 'permanent'],
  [ccxt.ArgumentsRequired, 'arguments_required', 'permanent'],
  [ccxt.NotSupported, 'not_supported', 'permanent'],
  [ccxt.NoChange, 'no_change', 'permanent'],
  [ccxt.MarketClosed, 'market_closed', 'permanent'],
  [ccxt.RestrictedLocation, 'restricted_location', 'permanent'],
  [ccxt.ManualInteractionNeeded, 'manual_interaction_needed', 'permanent'],
  [ccxt.OperationRejected, 'operation_rejected', 'permanent'],
  [ccxt.InvalidAddress, 'invalid_address', 'permanent'],
  [ccxt.ExchangeClosedByUser, 'exchange_closed', 'permanent'],
  [ccxt.InvalidProxySettings, 'invalid_proxy_settings', 'config'],
  [ccxt.ExchangeError, 'exchange_error', 'permanent'],
  [ccxt.BaseError, 'exchange_error', 'permanent'],
];

/**
 * Socket-level error codes (Node, undici) of errors that can escape ccxt unwrapped — ccxt wraps only the ones
 * it knows, and a custom `fetchImplementation` (Node's `fetch`) throws its own. They mean "no answer", so
 * they are transient like ccxt's NetworkError rather than `unexpected`.
 */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * The socket error an error is or wraps: Node's `fetch` rejects with `TypeError('fetch failed')` whose
 * `cause` is the socket's error. Follows a few causes, never a cycle.
 */
function socketErrorOf(error: unknown): { message: string } | undefined {
  // Duck-typed: the error may come from another realm (Node's internal fetch), where `instanceof` fails.
  let current = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause, message } = current as { code?: unknown; cause?: unknown; message?: unknown };
    if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return { message: String(message) };
    current = cause;
  }
  return undefined;
}

/**
 * Refusals that mean "an order with this client id exists" but that ccxt 4.5 raises as a plain `InvalidOrder`
 * or `ExchangeError` instead of `DuplicateOrderId`, recognised by the exchange's own code in ccxt's message
 * (`<exchange id> <response body>`). As `duplicate_order_id` they make order placement look the order up and
 * adopt it rather than fail the signal while the order lives on the exchange.
 */
const DUPLICATE_CLIENT_ID_REFUSALS: readonly RegExp[] = [
  // Binance spot: -2010 (any rejected order) "Duplicate order sent." (while the order is open).
  /"code":\s*-2010\b[^}]*Duplicate order sent/,
  // Binance USDⓈ-M and COIN-M futures: -4116 "ClientOrderId is duplicated." (while the order is open).
  /"code":\s*-4116\b/,
  // Bybit v5: 110072 "OrderLinkedID is duplicate" (any earlier order, open or not).
  /"retCode":\s*110072\b/,
  // OKX v5: 51016 "Duplicated client order ID", in the failed order's `sCode` (ccxt raises InvalidOrder).
  /"sCode":\s*"51016"/,
];

/** The translation table, exported read-only so a test can check its most-specific-first order. */
export const ccxtErrorTable = CCXT_ERROR_TABLE;

/**
 * The ONE place where ccxt errors become tradehook errors. Returns an {@link ExchangeError} with a stable
 * `code`, a `kind` (`transient` for `NetworkError` and its subclasses), the exchange's message with every
 * credential and request signature removed, and the original error as `cause` (redacted in place too, because
 * loggers serialize causes).
 *
 * An error that already is an {@link AppError} (one raised on purpose by tradehook code, e.g. inside a policy
 * call) is returned unchanged; a socket error that escaped ccxt unwrapped is a transient `network` error; any
 * other error becomes a permanent `unexpected` one.
 */
export function translateExchangeError(error: unknown): ExchangeError | AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error) {
    redactInPlace(error);
    if (
      error instanceof ccxt.ExchangeError &&
      DUPLICATE_CLIENT_ID_REFUSALS.some((r) => r.test(error.message))
    ) {
      return new ExchangeError(error.message, {
        code: 'duplicate_order_id',
        kind: 'permanent',
        cause: error,
      });
    }
    for (const [cls, code, kind] of CCXT_ERROR_TABLE) {
      if (error instanceof cls) return new ExchangeError(error.message, { code, kind, cause: error });
    }
  }
  const message = error instanceof Error ? error.message || error.name : redactCredentials(String(error));
  const socket = socketErrorOf(error);
  if (socket) {
    const detail = redactCredentials(socket.message);
    return new ExchangeError(detail === message ? message : `${message}: ${detail}`, {
      code: 'network',
      kind: 'transient',
      cause: error,
    });
  }
  return new ExchangeError(message, { code: 'unexpected', kind: 'permanent', cause: error });
}

function redactInPlace(error: Error): void {
  error.message = redactCredentials(error.message);
  if (error.stack) error.stack = redactCredentials(error.stack);
}
