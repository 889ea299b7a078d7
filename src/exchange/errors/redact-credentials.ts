/**
 * Query/body parameters whose values authenticate a request. ccxt error messages embed the failing request
 * (`binance GET https://…/api/v3/order?…&signature=… 400 …`), so these must never reach a log or a record.
 */
const CREDENTIAL_PARAMS = [
  'signature',
  'sign',
  'apikey',
  'api_key',
  'api-key',
  'access_key',
  'accesskey',
  'secret',
  'secretkey',
  'password',
  'passphrase',
  'token',
  'x-mbx-apikey',
  'x-bapi-api-key',
  'x-bapi-sign',
  'ok-access-key',
  'ok-access-sign',
  'ok-access-passphrase',
];

// `name=value` or `"name":"value"` / `"name": value`, case-insensitive, any of the names above.
const PARAM_PATTERN = new RegExp(
  `(["']?(?:${CREDENTIAL_PARAMS.map(escape).join('|')})["']?\\s*[=:]\\s*["']?)[^&\\s"',}]+`,
  'gi',
);
// Any URL's query string: signed GET requests carry the whole signed payload there.
const URL_QUERY_PATTERN = /(https?:\/\/[^\s?"'#]+)\?[^\s"']*/gi;

/**
 * Removes credentials from a message: every URL loses its query string, and credential-looking `key=value`
 * or JSON pairs lose their values. Idempotent, so it is safe to apply to an already redacted message.
 */
export function redactCredentials(message: string): string {
  return message.replace(URL_QUERY_PATTERN, '$1?[redacted]').replace(PARAM_PATTERN, '$1[redacted]');
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
