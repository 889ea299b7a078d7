import type { AccountConfig } from '../../../src/config/accounts';
import { deriveCapabilities } from '../../../src/exchange/ccxt/capabilities';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';
import { exchangeTraits } from '../../../src/exchange/ccxt/exchange-traits';

const account = (overrides: Partial<AccountConfig>): AccountConfig => ({
  id: 'a',
  exchange: 'binance',
  apiKey: 'k',
  secret: 's',
  sandbox: false,
  paper: false,
  ccxt: {},
  defaultType: 'spot',
  symbols: [],
  ...overrides,
});

describe('createCcxtExchange', () => {
  it('when nothing is configured, then the defaults apply and keys are set', () => {
    const exchange = createCcxtExchange(account({}));
    expect(exchange.enableRateLimit).toBe(true);
    expect(exchange.options).toMatchObject({
      fetchMargins: false,
      fetchCurrencies: false,
      defaultType: 'spot',
    });
    expect(exchange.has.fetchCurrencies).toBe(false);
    expect({ apiKey: exchange.apiKey, secret: exchange.secret }).toEqual({ apiKey: 'k', secret: 's' });
  });

  it('when the account passes ccxt settings, then they win over the defaults', () => {
    const exchange = createCcxtExchange(
      account({
        ccxt: {
          enableRateLimit: false,
          timeout: 3000,
          options: { fetchCurrencies: true, defaultType: 'future' },
        },
      }),
    );
    expect(exchange.enableRateLimit).toBe(false);
    expect(exchange.timeout).toBe(3000);
    expect(exchange.options).toMatchObject({
      fetchMargins: false,
      fetchCurrencies: true,
      defaultType: 'future',
    });
    expect(exchange.has.fetchCurrencies).toBe(true);
  });

  it('when the account says swap, then options.defaultType is swap', () => {
    expect(createCcxtExchange(account({ exchange: 'bybit', defaultType: 'swap' })).options.defaultType).toBe(
      'swap',
    );
  });

  it('when a derivatives-only class gets the implicit spot default, then it keeps its own default', () => {
    expect(createCcxtExchange(account({ exchange: 'binanceusdm' })).options.defaultType).toBe('swap');
  });

  it('when sandbox is set, then the testnet URLs are used, and a gateway URL still wins', () => {
    const testnet = createCcxtExchange(account({ exchange: 'bybit', sandbox: true }));
    expect(JSON.stringify(testnet.urls.api)).toContain('testnet');
    const gateway = createCcxtExchange(
      account({
        exchange: 'bybit',
        sandbox: true,
        ccxt: { urls: { api: { public: 'http://gw.local', private: 'http://gw.local' } } },
      }),
    );
    expect(gateway.urls.api).toMatchObject({ public: 'http://gw.local', private: 'http://gw.local' });
  });

  it('when the exchange id is not a ccxt class, then it is a config error', () => {
    expect(() => createCcxtExchange(account({ exchange: 'nosuchexchange' }))).toThrow(
      expect.objectContaining({ code: 'not_supported', kind: 'config' }),
    );
    expect(() => createCcxtExchange(account({ exchange: 'Exchange' }))).toThrow(
      expect.objectContaining({ kind: 'config' }),
    );
  });
});

describe('deriveCapabilities', () => {
  it.each([
    [
      'binance',
      'spot',
      { attachedTpSl: false, fetchOrderByClientId: true, setLeverage: true, setMarginMode: true },
    ],
    [
      'binanceusdm',
      'swap',
      { attachedTpSl: false, fetchOrderByClientId: true, setLeverage: true, setMarginMode: true },
    ],
    [
      'bybit',
      'swap',
      { attachedTpSl: true, fetchOrderByClientId: true, setLeverage: true, setMarginMode: true },
    ],
    [
      'okx',
      'swap',
      { attachedTpSl: true, fetchOrderByClientId: true, setLeverage: true, setMarginMode: true },
    ],
    [
      'kraken',
      'spot',
      { attachedTpSl: false, fetchOrderByClientId: false, setLeverage: false, setMarginMode: false },
    ],
  ] as const)(
    'when the exchange is %s (%s), then capabilities come from ccxt features and the traits table',
    (id, type, expected) => {
      const exchange = createCcxtExchange(account({ exchange: id, defaultType: type }));
      expect(deriveCapabilities(exchange, exchangeTraits(id), type)).toEqual(expected);
    },
  );
});
