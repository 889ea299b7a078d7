import { redactCredentials } from '../../../src/exchange/errors/redact-credentials';

describe('redactCredentials', () => {
  it.each([
    [
      'a signed GET URL loses its whole query string',
      'bybit GET https://api.bybit.com/v5/order/realtime?symbol=BTCUSDT&sign=deadbeef 10004',
      'bybit GET https://api.bybit.com/v5/order/realtime?[redacted] 10004',
    ],
    [
      'a form body signature loses its value',
      'body: symbol=BTCUSDT&signature=deadbeef',
      'body: symbol=BTCUSDT&signature=[redacted]',
    ],
    ['a JSON api key loses its value', '{"apiKey":"KEY123456","x":1}', '{"apiKey":"[redacted]","x":1}'],
    ['a header-style pair loses its value', 'X-MBX-APIKEY: KEY123456', 'X-MBX-APIKEY: [redacted]'],
    [
      'a plain exchange message is left alone',
      'binance {"code":-2010,"msg":"Account has insufficient balance"}',
      'binance {"code":-2010,"msg":"Account has insufficient balance"}',
    ],
  ])('when %s, then it is redacted', (_case, input, expected) => {
    expect(redactCredentials(input)).toBe(expected);
  });

  it('when applied twice, then the result does not change', () => {
    const once = redactCredentials('GET https://x.test/a?signature=1 and secret=2');
    expect(redactCredentials(once)).toBe(once);
  });
});
