import request from 'supertest';
import { type WorkerTuning } from '../../../src/main/worker-process';
import { dumpPrefix, issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { eventually } from '../../support/test-app';
import { type Engine, FAST_TUNING, startEngine } from '../engine/behaviour/engine-harness';

const API_KEY = 'acctsBinanceKey4Tq8Wm2Xz6Lp0';
const SECRET = 'acctsBinanceSecret7Hn3Vb9Kc1Rj';

/** Snapshots published after each signal within 20 ms (the minute interval does not come into play). */
const TUNING: WorkerTuning = { ...FAST_TUNING, snapshots: { debounceMs: 20, intervalMs: 60_000 } };

describe('GET /api/v1/accounts: what each account holds, as the worker last saw it', () => {
  const fake = new FakeBinance('binanceusdm');
  let engine: Engine;
  let viewer: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer body, checked field by field below
  let initialListing: Promise<any>;

  beforeAll(async () => {
    engine = await startEngine(
      'accounts',
      [fake],
      ([f]) => [
        { id: 'pp', exchange: 'paper', sandbox: false, paper: false, ccxt: {}, symbols: [] },
        makeCcxtAccount(f, { id: 'usdm', defaultType: 'swap', apiKey: API_KEY, secret: SECRET }),
      ],
      { tuning: TUNING },
    );
    viewer = (await issueKey(engine.app.redis, engine.app.prefix, 'viewer')).key;
    // Taken before any test trades (tests run in random order): the accounts as the worker first saw them.
    initialListing = eventually(async () => {
      const res = await get('/accounts').expect(200);
      return res.body.items.every((a: { snapshotAt: string | null }) => a.snapshotAt) ? res.body : undefined;
    });
    await initialListing;
  });
  afterAll(() => engine.close());

  const get = (path: string) =>
    request(engine.app.url).get(`/api/v1${path}`).set('authorization', `Bearer ${viewer}`);
  /** The account once a snapshot newer than `after` (ISO) is published. */
  const snapshotAfter = (id: string, after: string) =>
    eventually(async () => {
      const res = await get(`/accounts/${id}`);
      return res.body.snapshotAt && res.body.snapshotAt > after ? res.body : undefined;
    }, 15_000);

  it('when the worker has started, then every configured account is listed with its exchange, breaker and balances, without open orders', async () => {
    const body = await initialListing;

    expect(body.nextCursor).toBeNull();
    expect(body.items).toEqual([
      expect.objectContaining({
        id: 'pp',
        exchange: 'paper',
        paper: false,
        sandbox: false,
        marketsLoaded: true,
        breaker: null,
        paused: null,
        balances: { USDT: { free: 10000, used: 0, total: 10000 } },
        positions: [],
        errors: [],
      }),
      expect.objectContaining({
        id: 'usdm',
        exchange: 'binanceusdm',
        defaultType: 'swap',
        marketsLoaded: true,
        breaker: 'closed',
        positions: [],
        errors: [],
      }),
    ]);
    expect(body.items[1].balances.USDT).toBeDefined();
    for (const item of body.items) expect(item).not.toHaveProperty('openOrders');
  });

  it('when a paper perp is shorted, then the next snapshot shows the position with its entry price', async () => {
    const before = new Date().toISOString();
    const rec = await engine.run({
      account: 'pp',
      symbol: 'BTCUSDT.P',
      action: 'sell',
      quantity: 0.01,
      price: 60000,
    });
    expect(rec.status).toBe('filled');

    const account = await snapshotAfter('pp', before);
    expect(account.positions).toEqual([
      { symbol: 'BTC/USDT:USDT', contracts: -0.01, side: 'short', entryPrice: 60000, unrealizedPnl: 0 },
    ]);
  });

  it('when a limit order rests on Binance USDⓈ-M, then the account detail lists it among its open orders', async () => {
    const before = new Date().toISOString();
    const rec = await engine.run({
      account: 'usdm',
      symbol: 'BTCUSDT',
      action: 'buy',
      type: 'limit',
      price: 50000,
      quantity: 0.002,
    });
    expect(rec.status).toBe('placed');

    // The minute's snapshot may land between `before` and the order: wait for the one taken after it.
    const account = await eventually(async () => {
      const body = await snapshotAfter('usdm', before);
      return body.openOrders.length > 0 ? body : undefined;
    }, 15_000);
    expect(account.openOrders).toEqual([
      expect.objectContaining({
        clientOrderId: rec.orders[0].clientOrderId,
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        type: 'limit',
        amount: 0.002,
        price: 50000,
        status: 'open',
      }),
    ]);
  });

  it('when an account is paused, then the list shows the pause', async () => {
    const trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader', { name: 'desk' })).key;
    await request(engine.app.url)
      .post('/api/v1/accounts/usdm/pause')
      .set('authorization', `Bearer ${trader}`)
      .expect(200);
    const res = await get('/accounts').expect(200);
    const usdm = res.body.items.find((a: { id: string }) => a.id === 'usdm');
    expect(usdm.paused).toMatchObject({ by: 'desk', hold: false, scope: 'account' });
    // Resume: other tests of this file trade on usdm, before or after this one.
    await request(engine.app.url)
      .post('/api/v1/accounts/usdm/resume')
      .set('authorization', `Bearer ${trader}`)
      .expect(200);
    const after = await get('/accounts').expect(200);
    expect(after.body.items.find((a: { id: string }) => a.id === 'usdm').paused).toBeNull();
  });

  it('when the account is unknown, then 404 names it', async () => {
    const res = await get('/accounts/nobody').expect(404);
    expect(res.body).toEqual({ error: 'not_found', message: 'no account "nobody" is configured' });
  });

  it('when accounts are answered and snapshots stored, then neither holds the exchange key or secret', async () => {
    const answers = JSON.stringify([(await get('/accounts')).body, (await get('/accounts/usdm')).body]);
    const stored = await dumpPrefix(engine.app.redis, engine.app.prefix);
    for (const secret of [API_KEY, SECRET]) {
      expect(answers).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    // The snapshots are there to be scanned.
    expect(stored).toContain(':account-snapshots');
  });
});
