import type { Exchange } from 'ccxt';
import type { AccountConfig } from '../../../src/config/accounts';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';
import { exchangeTraits } from '../../../src/exchange/ccxt/exchange-traits';
import { NO_WINDOW_GRACE_MS, OrderWindow } from '../../../src/exchange/ccxt/order-window';

const exchangeOf = (id: string, ccxt: Record<string, unknown> = {}): Exchange =>
  createCcxtExchange({
    id: 'a',
    exchange: id,
    apiKey: 'key-0123456789',
    secret: 'secret-0123456789',
    password: 'pass-0123',
    sandbox: false,
    paper: false,
    ccxt,
    symbols: [],
  } satisfies AccountConfig);

const windowOf = (exchange: Exchange, callTimeoutMs: number) =>
  new OrderWindow(exchange, exchangeTraits(exchange.id), callTimeoutMs);

/** What ccxt would send for an order (sign is synchronous and offline). */
const signOrder = (exchange: Exchange, path: string, api: unknown, params: Record<string, unknown>) =>
  exchange.sign(path, api, 'POST', params) as {
    url: string;
    body?: string;
    headers?: Record<string, string>;
  };

const live = () => new AbortController().signal;

describe('OrderWindow: how long an order request can still be accepted', () => {
  it.each([
    ['binance', {}, 2_000, 2_000, 3_000],
    ['binance', { options: { recvWindow: 60_000 } }, 10_000, 10_000, 11_000],
    ['binance', { options: { recvWindow: 3_000 } }, 10_000, 3_000, 4_000],
    ['bybit', {}, 10_000, 5_000, 6_000],
    ['bybit', { options: { recvWindow: 20_000 } }, 8_000, 8_000, 9_000],
  ])(
    'when %s gets %j and the call times out after %d ms, then recvWindow is %d ms and a miss is proof after %d ms',
    (id, ccxt, timeoutMs, windowMs, acceptMs) => {
      const exchange = exchangeOf(id, ccxt);
      const window = windowOf(exchange, timeoutMs);
      expect(exchange.options.recvWindow).toBe(windowMs);
      expect(window.windowMs).toBe(windowMs);
      expect(window.acceptWindowMs).toBe(acceptMs);
    },
  );

  it('when the exchange has no receive window, then a miss counts as proof only after the timeouts and a grace period', () => {
    const exchange = exchangeOf('kraken', { timeout: 7_000 });
    const window = windowOf(exchange, 5_000);
    expect(window.acceptWindowMs).toBe(5_000 + 7_000 + NO_WINDOW_GRACE_MS);
  });

  it("when an order is sent on Binance, then it is signed with the caller's send time and the window", async () => {
    const exchange = exchangeOf('binance');
    const sentAt = Date.now() - 1_500;
    const request = await windowOf(exchange, 4_000).send({ sentAt, abort: live() }, async () =>
      signOrder(exchange, 'order', 'private', { symbol: 'BTCUSDT', newClientOrderId: 'th1' }),
    );
    const query = new URLSearchParams(request.body ?? request.url.split('?')[1]);
    expect(Number(query.get('timestamp'))).toBe(sentAt);
    expect(query.get('recvWindow')).toBe('4000');
    // Other calls on the same instance keep ccxt's own clock.
    const read = signOrder(exchange, 'account', 'private', {});
    expect(Number(new URLSearchParams(read.body ?? read.url.split('?')[1]).get('timestamp'))).toBeGreaterThan(
      sentAt,
    );
  });

  it('when ccxt measured a clock difference to the exchange, then the pinned timestamp keeps that correction', async () => {
    const exchange = exchangeOf('bybit');
    exchange.options.timeDifference = 250;
    const window = windowOf(exchange, 3_000);
    const sentAt = Date.now() - 100;
    const request = await window.send({ sentAt, abort: live() }, async () =>
      signOrder(exchange, 'v5/order/create', 'private', { category: 'linear', symbol: 'BTCUSDT' }),
    );
    expect(request.headers?.['X-BAPI-TIMESTAMP']).toBe(String(sentAt - 250));
    expect(request.headers?.['X-BAPI-RECV-WINDOW']).toBe('3000');
  });

  it('when an order is sent on OKX, then it carries an expTime deadline of its send time plus the window', async () => {
    const exchange = exchangeOf('okx');
    const window = windowOf(exchange, 5_000);
    const sentAt = Date.now() - 10;
    const request = await window.send({ sentAt, abort: live() }, async () =>
      signOrder(exchange, 'trade/order', 'private', { instId: 'BTC-USDT', clOrdId: 'th1' }),
    );
    expect(request.headers?.expTime).toBe(String(sentAt + 5_000));
    expect(request.headers?.['OK-ACCESS-TIMESTAMP']).toBe(new Date(sentAt).toISOString());
    expect(window.acceptWindowMs).toBe(5_000 + 30_000);
  });

  it('when a send time lies in the future, then the request is signed with now: never later than the caller thinks', async () => {
    const exchange = exchangeOf('binance');
    const window = windowOf(exchange, 4_000);
    const before = Date.now();
    const request = await window.send({ sentAt: before + 60_000, abort: live() }, async () =>
      signOrder(exchange, 'order', 'private', { symbol: 'BTCUSDT' }),
    );
    const timestamp = Number(new URLSearchParams(request.body ?? request.url.split('?')[1]).get('timestamp'));
    expect(timestamp).toBeLessThan(before + 60_000);
    expect(timestamp).toBeGreaterThanOrEqual(before);
  });

  it('when the attempt timed out before the request was signed, then it is not sent', async () => {
    const exchange = exchangeOf('binance');
    const window = windowOf(exchange, 4_000);
    const abort = new AbortController();
    abort.abort();
    await expect(
      window.send({ sentAt: Date.now(), abort: abort.signal }, async () =>
        signOrder(exchange, 'order', 'private', { symbol: 'BTCUSDT' }),
      ),
    ).rejects.toMatchObject({ code: 'not_sent', kind: 'transient' });
  });

  it('when the window passed before the request was signed (a long rate-limit wait), then it is not sent', async () => {
    const exchange = exchangeOf('binance');
    const window = windowOf(exchange, 4_000);
    await expect(
      window.send({ sentAt: Date.now() - 4_001, abort: live() }, async () =>
        signOrder(exchange, 'order', 'private', { symbol: 'BTCUSDT' }),
      ),
    ).rejects.toMatchObject({ code: 'not_sent', message: expect.stringContaining('receive window passed') });
  });

  it('when the ccxt option is missing or not positive, then the exchange default applies, still capped by the timeout', () => {
    const missing = exchangeOf('bybit');
    delete missing.options.recvWindow;
    expect(windowOf(missing, 3_000).windowMs).toBe(3_000);
    const zero = exchangeOf('binance', { options: { recvWindow: 0 } });
    expect(windowOf(zero, 60_000).windowMs).toBe(10_000);
  });

  it('when ccxt knows no time difference or timeout, then none is assumed', async () => {
    const exchange = exchangeOf('okx');
    delete exchange.options.timeDifference;
    const window = windowOf(exchange, 5_000);
    const sentAt = Date.now() - 10;
    const request = await window.send({ sentAt, abort: live() }, async () =>
      signOrder(exchange, 'trade/order', 'private', { instId: 'BTC-USDT' }),
    );
    expect(request.headers?.expTime).toBe(String(sentAt + 5_000));
    const generic = exchangeOf('kraken');
    (generic as { timeout?: number }).timeout = undefined;
    expect(windowOf(generic, 5_000).acceptWindowMs).toBe(5_000 + NO_WINDOW_GRACE_MS);
  });
});
