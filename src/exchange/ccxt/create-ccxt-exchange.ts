import { IdleCreditThrottle } from './idle-credit-throttle';
import * as ccxt from 'ccxt';
import type { Exchange } from 'ccxt';
import type { AccountConfig } from '../../config/accounts';
import { ExchangeError } from '../errors/exchange-error';

type ExchangeConstructor = new (config: Record<string, unknown>) => Exchange;

/**
 * ccxt constructor settings tradehook starts from; the account's `ccxt` object is merged over them.
 * - `enableRateLimit`: ccxt queues requests to stay under the exchange's published limits.
 * - `fetchMargins`/`fetchCurrencies: false`: with keys set, Binance's loadMarkets otherwise calls signed
 *   margin and currency endpoints (slower, and failing for keys without those permissions). Only Binance reads
 *   the `fetchCurrencies` option; {@link createCcxtExchange} makes it hold everywhere (see there).
 */
export const CCXT_DEFAULTS = {
  enableRateLimit: true,
  options: { fetchMargins: false, fetchCurrencies: false },
} as const;

/**
 * Builds the ccxt exchange of an account:
 * - `account.ccxt` is passed verbatim, merged over {@link CCXT_DEFAULTS} (`options` merged one level deep);
 * - `account.defaultType` becomes `options.defaultType` unless `ccxt.options.defaultType` is given, and unless
 *   it is the schema's implicit `spot` on a derivatives-only class such as `binanceusdm` (whose own default
 *   is `swap`);
 * - `options.fetchCurrencies: false` (the default) also sets `has.fetchCurrencies = false` unless `ccxt.has`
 *   says otherwise: with keys, Bybit's and OKX's loadMarkets call a PRIVATE currency endpoint that fails for
 *   trade-only keys (ccxt issue #27621), and trading needs no currency metadata (ccxt derives it from markets);
 * - ccxt's rate limiter is replaced by an {@link IdleCreditThrottle} with the same rate (it credits idle time);
 * - `sandbox` switches to the testnet; a `ccxt.urls.api` given too (a gateway) still wins over the testnet URLs.
 */
export function createCcxtExchange(account: AccountConfig): Exchange {
  const Constructor = exchangeConstructor(account.exchange);
  const user = account.ccxt;
  const userOptions = isRecord(user.options) ? user.options : {};
  const exchange = new Constructor({
    ...CCXT_DEFAULTS,
    ...user,
    options: { ...CCXT_DEFAULTS.options, ...userOptions },
    ...(account.apiKey === undefined ? {} : { apiKey: account.apiKey }),
    ...(account.secret === undefined ? {} : { secret: account.secret }),
    ...(account.password === undefined ? {} : { password: account.password }),
  });
  if (!('defaultType' in userOptions)) {
    const native = exchange.options.defaultType as string | undefined;
    const derivativesOnly = native !== undefined && native !== 'spot';
    // No setting keeps the class's own default (binanceusdm: swap); spot cannot be forced on a derivatives-only class.
    if (account.defaultType !== undefined && !(account.defaultType === 'spot' && derivativesOnly)) {
      exchange.options.defaultType = account.defaultType;
    }
  }
  const userHas = isRecord(user.has) ? user.has : {};
  if (exchange.options.fetchCurrencies === false && !('fetchCurrencies' in userHas)) {
    exchange.has.fetchCurrencies = false;
  }
  const rateLimit = exchange.rateLimit ?? 0;
  if (exchange.enableRateLimit && rateLimit > 0) {
    // Same average rate as ccxt's limiter, but idle time is credited (see IdleCreditThrottle).
    const throttle = new IdleCreditThrottle(rateLimit);
    exchange.throttle = (cost?: number) => throttle.take(cost ?? 1);
  }
  if (account.sandbox) {
    exchange.setSandboxMode(true);
    const userUrls = isRecord(user.urls) ? user.urls : {};
    if (userUrls.api !== undefined) {
      exchange.urls.api =
        isRecord(userUrls.api) && isRecord(exchange.urls.api)
          ? { ...exchange.urls.api, ...userUrls.api }
          : (userUrls.api as Exchange['urls']['api']);
    }
  }
  return exchange;
}

function exchangeConstructor(id: string): ExchangeConstructor {
  // ccxt exports every exchange class under its id (the index signature is not in ccxt's typings, and its
  // `exchanges` list is typed as a dictionary while it is an array at runtime: check the class itself).
  const candidate = (ccxt as unknown as Record<string, unknown>)[id];
  if (typeof candidate !== 'function' || !(candidate.prototype instanceof ccxt.Exchange)) {
    throw new ExchangeError(
      `"${id}" is not a ccxt exchange id (see https://docs.ccxt.com/#/Exchange-Markets)`,
      {
        code: 'not_supported',
        kind: 'config',
      },
    );
  }
  return candidate as ExchangeConstructor;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
