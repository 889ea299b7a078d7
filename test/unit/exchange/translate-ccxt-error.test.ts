import * as ccxt from 'ccxt';
import { AppError, type ErrorKind } from '../../../src/errors/app-error';
import { ExchangeError } from '../../../src/exchange/errors/exchange-error';
import { ccxtErrorTable, translateExchangeError } from '../../../src/exchange/errors/translate-ccxt-error';

type ErrorClass = new (message: string) => Error;

/**
 * Every error class ccxt exports, with what it must become. Built from ccxt's own exports below, so a ccxt
 * upgrade that adds a class fails this test until someone decides how to map it.
 */
const EXPECTED: Record<string, [code: string, kind: ErrorKind]> = {
  BaseError: ['exchange_error', 'permanent'],
  ExchangeError: ['exchange_error', 'permanent'],
  AuthenticationError: ['authentication', 'permanent'],
  PermissionDenied: ['permission_denied', 'permanent'],
  AccountNotEnabled: ['permission_denied', 'permanent'],
  AccountSuspended: ['account_suspended', 'permanent'],
  ArgumentsRequired: ['arguments_required', 'permanent'],
  BadRequest: ['bad_request', 'permanent'],
  BadSymbol: ['bad_symbol', 'permanent'],
  OperationRejected: ['operation_rejected', 'permanent'],
  NoChange: ['no_change', 'permanent'],
  MarginModeAlreadySet: ['no_change', 'permanent'],
  MarketClosed: ['market_closed', 'permanent'],
  ManualInteractionNeeded: ['manual_interaction_needed', 'permanent'],
  RestrictedLocation: ['restricted_location', 'permanent'],
  InsufficientFunds: ['insufficient_funds', 'permanent'],
  InvalidAddress: ['invalid_address', 'permanent'],
  AddressPending: ['invalid_address', 'permanent'],
  InvalidOrder: ['invalid_order', 'permanent'],
  OrderNotFound: ['order_not_found', 'permanent'],
  OrderNotCached: ['invalid_order', 'permanent'],
  OrderImmediatelyFillable: ['post_only_rejected', 'permanent'],
  OrderNotFillable: ['order_not_fillable', 'permanent'],
  DuplicateOrderId: ['duplicate_order_id', 'permanent'],
  ContractUnavailable: ['contract_unavailable', 'permanent'],
  NotSupported: ['not_supported', 'permanent'],
  InvalidProxySettings: ['invalid_proxy_settings', 'config'],
  ExchangeClosedByUser: ['exchange_closed', 'permanent'],
  OperationFailed: ['operation_failed', 'transient'],
  NetworkError: ['network', 'transient'],
  DDoSProtection: ['rate_limited', 'transient'],
  RateLimitExceeded: ['rate_limited', 'transient'],
  ExchangeNotAvailable: ['exchange_unavailable', 'transient'],
  OnMaintenance: ['maintenance', 'transient'],
  InvalidNonce: ['invalid_nonce', 'transient'],
  ChecksumError: ['invalid_nonce', 'transient'],
  RequestTimeout: ['timeout', 'transient'],
  BadResponse: ['bad_response', 'transient'],
  NullResponse: ['bad_response', 'transient'],
  CancelPending: ['operation_failed', 'transient'],
  UnsubscribeError: ['exchange_error', 'permanent'],
};

const exported = Object.entries(ccxt as unknown as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' &&
    (entry[1] === ccxt.BaseError || (entry[1] as ErrorClass).prototype instanceof ccxt.BaseError),
);

describe('translateExchangeError', () => {
  it('when ccxt exports error classes, then every one of them has an expected mapping', () => {
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(exported.map(([name, cls]) => [name, cls, ...EXPECTED[name]] as const))(
    'when ccxt throws %s, then it becomes %s/%s with the message and the cause kept',
    (_name, cls, code, kind) => {
      const original = new cls('binance {"code":-1,"msg":"the exchange said no"}');
      const translated = translateExchangeError(original);
      expect(translated).toBeInstanceOf(ExchangeError);
      expect({ code: translated.code, kind: translated.kind }).toEqual({ code, kind });
      expect(translated.message).toBe('binance {"code":-1,"msg":"the exchange said no"}');
      expect(translated.cause).toBe(original);
      expect(translated.name).toBe('ExchangeError');
    },
  );

  // ccxt raises these duplicate client order id refusals as plain InvalidOrder/ExchangeError; the exchange's own
  // code in the message says what they are.
  it.each([
    [
      'Binance spot -2010 "Duplicate order sent." as InvalidOrder',
      'duplicate_order_id',
      ccxt.InvalidOrder,
      'binance {"code":-2010,"msg":"Duplicate order sent."}',
    ],
    [
      'Binance USDⓈ-M -4116 as InvalidOrder',
      'duplicate_order_id',
      ccxt.InvalidOrder,
      'binanceusdm {"code":-4116,"msg":"ClientOrderId is duplicated."}',
    ],
    [
      'Binance COIN-M -4116 as ExchangeError',
      'duplicate_order_id',
      ccxt.ExchangeError,
      'binance {"code":-4116,"msg":"ClientOrderId is duplicated."}',
    ],
    [
      'Bybit 110072 as InvalidOrder',
      'duplicate_order_id',
      ccxt.InvalidOrder,
      'bybit {"retCode":110072,"retMsg":"OrderLinkedID is duplicate","result":{}}',
    ],
    [
      'Binance spot -2010 for another reason',
      'invalid_order',
      ccxt.InvalidOrder,
      'binance {"code":-2010,"msg":"Order would immediately match and take."}',
    ],
    [
      'a timeout whose message quotes -4116',
      'timeout',
      ccxt.RequestTimeout,
      'binance {"code":-4116} timed out',
    ],
  ] as const)('when ccxt raises %s, then it is %s', (_case, code, cls, message) => {
    expect(translateExchangeError(new cls(message))).toMatchObject({ code, message });
  });

  // OKX puts an order's refusal in `data[].sCode`; ccxt's own okx class raises it here, from the body OKX sends.
  it.each([
    ['51016', 'Duplicated client order ID', 'duplicate_order_id'],
    ['51119', 'Order placement failed due to insufficient balance.', 'insufficient_funds'],
  ])('when OKX refuses an order with sCode %s (%s), then it is %s', (sCode, sMsg, code) => {
    const body = JSON.stringify({
      code: '1',
      data: [{ clOrdId: 'th1a2b3c', ordId: '', sCode, sMsg, tag: '' }],
      msg: 'All operations failed',
    });
    const okx = new ccxt.okx();
    let raised: unknown;
    try {
      okx.handleErrors(
        200,
        'OK',
        'https://www.okx.com/api/v5/trade/order',
        'POST',
        {},
        body,
        JSON.parse(body),
        {},
        '',
      );
    } catch (error) {
      raised = error;
    }
    expect(raised).toBeInstanceOf(ccxt.ExchangeError);
    expect(translateExchangeError(raised)).toMatchObject({ code });
  });

  it('when the table is read top to bottom, then no class comes after one of its ancestors', () => {
    ccxtErrorTable.forEach(([cls], index) => {
      const ancestorsAbove = ccxtErrorTable
        .slice(0, index)
        .filter(([earlier]) => cls.prototype instanceof earlier);
      expect(ancestorsAbove.map(([earlier]) => earlier.name)).toEqual([]);
    });
  });

  it('when the message carries a signed URL, then the query string and credentials are removed', () => {
    const error = new ccxt.ExchangeNotAvailable(
      'binance GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abcdef0123 503 Service Unavailable',
    );
    const translated = translateExchangeError(error);
    expect(translated.message).toBe(
      'binance GET https://api.binance.com/api/v3/order?[redacted] 503 Service Unavailable',
    );
    expect(translated.message).not.toContain('abcdef0123');
    // The cause is logged too: it is redacted in place.
    expect((translated.cause as Error).message).not.toContain('abcdef0123');
    expect((translated.cause as Error).stack).not.toContain('abcdef0123');
  });

  it('when an error is already an AppError, then it passes through unchanged', () => {
    const own = new AppError('price required', { code: 'price_required', kind: 'permanent' });
    expect(translateExchangeError(own)).toBe(own);
    const exchangeError = new ExchangeError('x', { code: 'timeout', kind: 'transient' });
    expect(translateExchangeError(exchangeError)).toBe(exchangeError);
  });

  it('when a socket error escapes ccxt unwrapped, then it is a transient network error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(translateExchangeError(refused)).toMatchObject({
      code: 'network',
      kind: 'transient',
      cause: refused,
    });
  });

  it('when fetch fails on a socket error (Node wraps it as its cause), then it is a transient network error naming the cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const failed = new TypeError('fetch failed', { cause: reset });
    expect(translateExchangeError(failed)).toMatchObject({
      code: 'network',
      kind: 'transient',
      message: 'fetch failed: read ECONNRESET',
      cause: failed,
    });
  });

  it('when the failure comes from another realm (no instanceof Error), then its socket cause is still read', () => {
    const foreign = {
      name: 'TypeError',
      message: 'fetch failed',
      cause: { code: 'ETIMEDOUT', message: 'timed out' },
    };
    expect(translateExchangeError(foreign)).toMatchObject({ code: 'network', kind: 'transient' });
  });

  it('when the error is not from ccxt, then it is a permanent unexpected error', () => {
    const translated = translateExchangeError(new TypeError('cannot read properties of undefined'));
    expect({ code: translated.code, kind: translated.kind }).toEqual({
      code: 'unexpected',
      kind: 'permanent',
    });
    expect(translated.message).toBe('cannot read properties of undefined');
    const thrownString = translateExchangeError('apiKey=SECRETKEY123 went wrong');
    expect(thrownString.code).toBe('unexpected');
    expect(thrownString.message).not.toContain('SECRETKEY123');
  });

  it('when an error has neither message nor stack, then its name stands in and nothing breaks', () => {
    const bare = new RangeError('');
    bare.stack = undefined;
    expect(translateExchangeError(bare)).toMatchObject({ code: 'unexpected', message: 'RangeError' });
  });
});
