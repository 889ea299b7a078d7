import { CcxtSession } from '../../../src/exchange/ccxt/ccxt-session';
import { createCcxtExchange } from '../../../src/exchange/ccxt/create-ccxt-exchange';
import {
  FakeBinance,
  FakeBybit,
  type FakeExchangeServer,
  makeCcxtAccount,
} from '../../support/fake-exchange';

/** Every string leaf of a nested URL table. */
function urlLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlLeaves);
  return [];
}

// test/support/jest-setup.ts already refuses every host but loopback; calling nock.disableNetConnect() here
// would also drop its loopback allowance for the later test files of this jest worker (nock's interceptor
// outlives the file), so this file relies on the setup it tests.
describe('tests cannot reach real exchanges', () => {
  it('when ccxt goes through fetch with its real URLs, then the test network guard refuses it and it fails as a network error, never reaching the internet', async () => {
    // ccxt's default transport (undici.request) is invisible to nock 14; with globalThis.fetch it is not.
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
        message: expect.stringMatching(/Disallowed net connect for "[a-z]+\.binance\.com:443\//),
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
