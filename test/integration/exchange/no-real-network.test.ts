import http from 'node:http';
import net from 'node:net';
import { CcxtSession } from '../../../src/exchange/ccxt/ccxt-session';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';
import {
  FakeBinance,
  FakeBybit,
  type FakeExchangeServer,
  makeCcxtAccount,
} from '../../support/fake-exchange';
import { allowOnlyLoopback } from '../../support/net-guard';

/** Every string leaf of a nested URL table. */
function urlLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlLeaves);
  return [];
}

// test/support/jest-setup.ts refuses every host but loopback (on net.Socket, once per jest worker, and at
// undici's Agent); this file relies on the setup it tests.
describe('tests cannot reach real exchanges', () => {
  it('when ccxt goes through fetch with its real URLs, then the test network guard refuses it and it fails as a network error, never reaching the internet', async () => {
    // Not ccxt's default transport (undici.request on its Agent, guarded at its dispatcher): Node's fetch,
    // which only the socket guard sees.
    const session = new CcxtSession({
      account: {
        id: 'real',
        exchange: 'binance',
        apiKey: 'k',
        secret: 's',
        sandbox: false,
        paper: false,
        defaultType: 'spot',
        symbols: [],
        ccxt: { fetchImplementation: globalThis.fetch },
      },
      policy: { maxAttempts: 1, timeoutMs: 5_000 },
    });
    try {
      await expect(session.markets()).rejects.toMatchObject({
        code: 'network',
        kind: 'transient',
        // loadMarkets asks several binance.com endpoints at once; whichever is refused first is reported.
        message: expect.stringMatching(/[a-z]+\.binance\.com is not loopback/),
      });
    } finally {
      await session.close();
    }
  });

  it.each([
    ['binance', () => new FakeBinance('binance')],
    ['binanceusdm', () => new FakeBinance('binanceusdm')],
    ['bybit', () => new FakeBybit()],
  ] as const)(
    'when a %s account is made for a fake, then every API URL ccxt knows points at the fake',
    async (_id, make) => {
      const fake: FakeExchangeServer = await make().start();
      try {
        const exchange = createCcxtExchange(makeCcxtAccount(fake));
        const urls = urlLeaves(exchange.urls.api);
        expect(urls.length).toBeGreaterThan(3);
        expect(urls.filter((url) => !url.startsWith(`${fake.url}/`) && url !== fake.url)).toEqual([]);
      } finally {
        await fake.close();
      }
    },
  );
});

describe('the test network guard', () => {
  it('when Node http asks a host that is not loopback, then the connection is refused before any packet leaves', async () => {
    const error = await new Promise<Error>((resolve) => {
      const req = http.get('http://example.com/', () => resolve(new Error('answered')));
      req.on('error', resolve);
    });
    expect(error.message).toMatch(/example\.com is not loopback/);
  });

  it('when it is installed again (every test file of a jest worker runs the setup), then it does not stack', () => {
    const guarded = net.Socket.prototype.connect;
    allowOnlyLoopback();
    expect(net.Socket.prototype.connect).toBe(guarded);
  });
});
