import { AppError, type AppErrorOptions } from '../../errors/app-error';

/**
 * Stable codes of {@link ExchangeError}. Execution, history and metrics key on these strings (never on
 * ccxt class names, which are an implementation detail of the adapter).
 *
 * Transient (retrying the same idempotent call later can succeed):
 * - `timeout`: no answer in time. For an order the outcome is UNKNOWN: look it up by client id.
 * - `rate_limited`: the exchange throttled us (429/418, DDoS protection).
 * - `exchange_unavailable`, `maintenance`: 5xx / planned maintenance.
 * - `network`: connection refused/reset, DNS; `invalid_nonce`: clock skew or nonce race.
 * - `bad_response`: an unparsable answer (often an HTML error page from a proxy in front of the exchange).
 * - `operation_failed`: ccxt's catch-all for failures the user did not cause.
 * - `circuit_open`: the account's breaker is open (or isolated); no request was sent.
 * - `not_sent`: an order request was held back before it was signed (its attempt had timed out, or its
 *   receive window passed while it waited for the rate limiter); it never reached the exchange.
 *
 * Permanent (the signal fails with the exchange's message):
 * `insufficient_funds`, `invalid_order`, `order_not_found`, `duplicate_order_id`, `post_only_rejected`,
 * `order_not_fillable`, `contract_unavailable`, `bad_symbol`, `bad_request`, `arguments_required`,
 * `authentication`, `permission_denied`, `account_suspended`, `not_supported`, `no_change`,
 * `market_closed`, `restricted_location`, `manual_interaction_needed`, `operation_rejected`,
 * `invalid_address`, `exchange_closed`, `exchange_error`, `unexpected`.
 *
 * Config (the deployment must be fixed): `invalid_proxy_settings`.
 */
export type ExchangeErrorCode =
  | 'timeout'
  | 'rate_limited'
  | 'exchange_unavailable'
  | 'maintenance'
  | 'network'
  | 'invalid_nonce'
  | 'bad_response'
  | 'operation_failed'
  | 'circuit_open'
  | 'not_sent'
  | 'insufficient_funds'
  | 'invalid_order'
  | 'order_not_found'
  | 'duplicate_order_id'
  | 'post_only_rejected'
  | 'order_not_fillable'
  | 'contract_unavailable'
  | 'bad_symbol'
  | 'bad_request'
  | 'arguments_required'
  | 'authentication'
  | 'permission_denied'
  | 'account_suspended'
  | 'not_supported'
  | 'no_change'
  | 'market_closed'
  | 'restricted_location'
  | 'manual_interaction_needed'
  | 'operation_rejected'
  | 'invalid_address'
  | 'exchange_closed'
  | 'invalid_proxy_settings'
  | 'exchange_error'
  | 'unexpected';

export interface ExchangeErrorOptions extends AppErrorOptions {
  code: ExchangeErrorCode;
}

/**
 * An error from (or on the way to) an exchange, translated into tradehook's taxonomy. Its message is the
 * exchange's own message with credentials and request signatures removed, so it is safe to store and show.
 */
export class ExchangeError extends AppError {
  declare readonly code: ExchangeErrorCode;

  constructor(message: string, options: ExchangeErrorOptions) {
    super(message, options);
  }
}
