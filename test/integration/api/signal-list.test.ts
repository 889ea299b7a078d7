import request from 'supertest';
import { SignalQuery, type SignalFilter } from '../../../src/history/signal-query';
import { SignalStore } from '../../../src/history/signal-store';
import { symbolKey } from '../../../src/queue/partitions';
import { redisKeys } from '../../../src/redis/keys';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { type SignalStatus } from '../../../src/signals/signal-record';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

const N = 10_000;
const BASE = Date.UTC(2026, 10, 1);
const ACCOUNTS = ['main', 'alt', 'hedge'];
const SYMBOLS = ['BINANCE:BTCUSDT', 'ETHUSDT', 'BYBIT:SOLUSDT.P', 'BTC/USDT'];
const STRATEGIES = ['ema-cross', 'breakout', undefined];
const FINALS: SignalStatus[] = ['filled', 'failed', 'expired', 'rejected', 'done'];

interface Model {
  id: string;
  receivedAt: number;
  status: SignalStatus;
  account: string;
  symbol: string;
  strategy?: string;
}

let app: TestApp;
let viewer: string;
const model: Model[] = [];

/** Seeds N signals through the real status scripts: queued, then (most) started and finished. */
async function seed(store: SignalStore): Promise<void> {
  for (let i = 0; i < N; i++) {
    // Every 5th shares its receipt time with the one before: pages must split ties exactly.
    const receivedAt = BASE + (i - (i % 5 === 4 ? 1 : 0)) * 1000;
    const strategy = STRATEGIES[i % 3];
    const status: SignalStatus = i % 11 === 0 ? 'queued' : FINALS[i % 5];
    model.push({
      id: `sig_${i.toString(16).padStart(24, '0')}`,
      receivedAt,
      status,
      account: ACCOUNTS[i % 3 === 0 ? 0 : (i >> 1) % 3],
      symbol: SYMBOLS[(i >> 2) % 4],
      strategy,
    });
  }
  const envelope = (m: Model): SignalEnvelope => ({
    id: m.id,
    auth: 'token',
    requestId: `r-${m.id}`,
    receivedAt: m.receivedAt,
    alert: {
      account: m.account,
      symbol: m.symbol,
      action: 'buy',
      orderType: 'market',
      quantityType: 'base',
      quantity: 1,
      ...(m.strategy === 'breakout' ? { comment: 'breakout' } : {}),
      ...(m.strategy === 'ema-cross' ? { meta: { strategy: 'ema-cross' }, comment: 'other' } : {}),
    },
  });
  for (let i = 0; i < N; i += 1000) {
    const chunk = model.slice(i, i + 1000);
    await Promise.all(chunk.map((m) => store.recordQueued(envelope(m), m.receivedAt)));
    await Promise.all(
      chunk.filter((m) => m.status !== 'queued').map((m) => store.start(envelope(m), m.receivedAt + 1)),
    );
    await Promise.all(
      chunk
        .filter((m) => m.status !== 'queued')
        .map((m) =>
          store.finish(m.id, {
            status: m.status,
            finishedAt: m.receivedAt + 50,
            progress: { stepsDone: 0, orders: [], calls: [] },
          }),
        ),
    );
  }
}

function expected(filter: SignalFilter): string[] {
  return model
    .filter(
      (m) =>
        (!filter.statuses || filter.statuses.includes(m.status)) &&
        (filter.account === undefined || m.account === filter.account) &&
        (filter.symbol === undefined || symbolKey(m.symbol) === symbolKey(filter.symbol)) &&
        (filter.strategy === undefined || m.strategy === filter.strategy) &&
        (filter.since === undefined || m.receivedAt >= filter.since) &&
        (filter.until === undefined || m.receivedAt <= filter.until),
    )
    .sort((a, b) => b.receivedAt - a.receivedAt || (a.id < b.id ? 1 : -1))
    .map((m) => m.id);
}

async function listAll(query: Record<string, string>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 2 * N; page++) {
    const res = await request(app.url)
      .get('/api/v1/signals')
      .query({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) })
      .set('authorization', `Bearer ${viewer}`)
      .expect(200);
    ids.push(...res.body.items.map((item: { id: string }) => item.id));
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return ids;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  app = await startTestApp('signal-list', { API_RATE_LIMIT_PER_MINUTE: '100000' });
  viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
  await seed(new SignalStore(app.redis, redisKeys(app.prefix), 30));
}, 60_000);
afterAll(() => app.close());

const iso = (ms: number) => new Date(ms).toISOString();

describe('GET /api/v1/signals at 10,000 records', () => {
  const cases: Array<[string, Record<string, string>, SignalFilter]> = [
    ['no filter', {}, {}],
    ['one status', { status: 'failed' }, { statuses: ['failed'] }],
    ['several statuses', { status: 'expired,queued' }, { statuses: ['expired', 'queued'] }],
    ['account', { account: 'alt' }, { account: 'alt' }],
    ['symbol written another way', { symbol: 'btc-usdt' }, { symbol: 'BTCUSDT' }],
    ['perpetual symbol', { symbol: 'SOLUSDT' }, { symbol: 'SOLUSDT' }],
    ['strategy from meta over comment', { strategy: 'ema-cross' }, { strategy: 'ema-cross' }],
    ['strategy from comment', { strategy: 'breakout' }, { strategy: 'breakout' }],
    [
      'since and until',
      { since: iso(BASE + 2_000_000), until: iso(BASE + 2_500_000) },
      { since: BASE + 2_000_000, until: BASE + 2_500_000 },
    ],
    [
      'account, symbol and statuses together',
      { account: 'main', symbol: 'ETHUSDT', status: 'filled,failed' },
      { account: 'main', symbol: 'ETHUSDT', statuses: ['filled', 'failed'] },
    ],
    [
      'strategy within a window',
      { strategy: 'breakout', since: iso(BASE + 9_000_000) },
      { strategy: 'breakout', since: BASE + 9_000_000 },
    ],
    ['nothing matching', { account: 'nobody' }, { account: 'nobody' }],
  ];

  it.each(cases)(
    'when filtered by %s, then pages of 200 hold exactly the matches, newest first',
    async (_, query, filter) => {
      const want = expected(filter);
      expect(await listAll(query, 200)).toEqual(want);
    },
  );

  it('when paged 7 at a time across equal receipt times, then nothing is skipped or repeated', async () => {
    const filter = { statuses: ['failed' as const], since: BASE + 4_000_000, until: BASE + 4_400_000 };
    const want = expected(filter);
    expect(want.length).toBeGreaterThan(50);
    expect(
      await listAll({ status: 'failed', since: iso(filter.since), until: iso(filter.until) }, 7),
    ).toEqual(want);
  });

  it('answers the documented list item for each signal', async () => {
    const res = await request(app.url)
      .get('/api/v1/signals')
      .query({ limit: '1', account: 'main', status: 'failed' })
      .set('authorization', `Bearer ${viewer}`)
      .expect(200);
    const [want] = expected({ account: 'main', statuses: ['failed'] });
    const m = model.find((x) => x.id === want) as Model;
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: want,
        status: 'failed',
        account: 'main',
        symbol: m.symbol,
        receivedAt: iso(m.receivedAt),
        finishedAt: iso(m.receivedAt + 50),
        orders: 0,
        filled: null,
      }),
    ]);
  });

  it('when filters match rarely, then a page stops after its scan budget with a cursor and the walk still completes', async () => {
    const query = new SignalQuery(app.redis, redisKeys(app.prefix), { scanBudget: 300 });
    const filter: SignalFilter = { account: 'hedge', strategy: 'ema-cross', statuses: ['done'] };
    const ids: string[] = [];
    let after;
    let pages = 0;
    do {
      const page = await query.list(filter, { limit: 50, after });
      expect(page.examined).toBeLessThanOrEqual(300);
      ids.push(...page.items.map((i) => i.id));
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(ids).toEqual(expected(filter));
    expect(pages).toBeGreaterThan(1);
  });

  it('when filters combine, then the smallest index drives the walk: every entry of it is examined once, nothing else', async () => {
    const query = new SignalQuery(app.redis, redisKeys(app.prefix));
    const filter: SignalFilter = { account: 'alt', symbol: 'ETHUSDT', statuses: ['queued'] };
    const sizes = {
      account: model.filter((m) => m.account === 'alt').length,
      symbol: model.filter((m) => symbolKey(m.symbol) === 'ETHUSDT').length,
      status: model.filter((m) => m.status === 'queued').length,
    };
    expect(sizes.status).toBeLessThan(Math.min(sizes.account, sizes.symbol));
    let examined = 0;
    const ids: string[] = [];
    let after;
    do {
      const page = await query.list(filter, { limit: 20, after });
      examined += page.examined;
      ids.push(...page.items.map((i) => i.id));
      after = page.next ?? undefined;
    } while (after);
    expect(ids).toEqual(expected(filter));
    expect(examined).toBe(sizes.status);
  });

  it('when several status indexes are merged in small batches, then their order is kept across batches', async () => {
    const query = new SignalQuery(app.redis, redisKeys(app.prefix), { batchSize: 10 });
    const filter: SignalFilter = { statuses: ['queued', 'rejected', 'done'] };
    const page = await query.list(filter, { limit: 200 });
    expect(page.items.map((i) => i.id)).toEqual(expected(filter).slice(0, 200));
  });

  it.each([
    [{ status: 'bogus' }, 'query.status'],
    [{ since: 'yesterday' }, 'query.since'],
    [{ since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }, 'query.since'],
    [{ cursor: 'not-a-cursor' }, 'query.cursor'],
    [{ limit: '500' }, 'query.limit'],
    [{ colour: 'red' }, 'query.colour'],
  ])('when the query is %j, then 400 invalid_request names %s', async (query, path) => {
    const res = await request(app.url)
      .get('/api/v1/signals')
      .query(query)
      .set('authorization', `Bearer ${viewer}`)
      .expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
  });
});
