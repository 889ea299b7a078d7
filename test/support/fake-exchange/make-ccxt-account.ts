import * as ccxt from 'ccxt';
import type { AccountConfig } from '../../../src/config/accounts';
import type { FakeExchangeServer } from './fake-exchange-server';

/**
 * ccxt's own `urls.api` of an exchange with every origin replaced by `origin`, keeping the paths (so that
 * `https://fapi.binance.com/fapi/v1` becomes `http://127.0.0.1:<port>/fapi/v1`). This is also how a user points
 * an account at a gateway: `"ccxt": { "urls": { "api": { … } } }`.
 */
export function apiUrlsAt(exchangeId: string, origin: string): Record<string, unknown> {
  const Exchange = (ccxt as unknown as Record<string, new () => ccxt.Exchange>)[exchangeId];
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+/, origin);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]));
    }
    return value;
  };
  return rewrite(new Exchange().urls.api) as Record<string, unknown>;
}

/**
 * An account whose ccxt instance talks only to `fake`: every API URL rewritten to the fake's origin, test keys
 * (real HMAC signing runs), and ccxt's rate limiter sped up so that tests do not wait on it.
 */
export function makeCcxtAccount(
  fake: FakeExchangeServer,
  overrides: Partial<AccountConfig> = {},
): AccountConfig {
  const { ccxt: ccxtOverrides = {}, ...rest } = overrides;
  const userOptions = (ccxtOverrides.options ?? {}) as Record<string, unknown>;
  return {
    id: 'test',
    exchange: fake.exchangeId,
    apiKey: 'fake-api-key-0123456789',
    secret: 'fake-secret-0123456789',
    sandbox: false,
    paper: false,
    defaultType: 'spot',
    symbols: [],
    ...rest,
    ccxt: {
      rateLimit: 1,
      timeout: 5_000,
      ...ccxtOverrides,
      urls: { api: apiUrlsAt(fake.exchangeId, fake.url) },
      options: { ...userOptions },
    },
  };
}
