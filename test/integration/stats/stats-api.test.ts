import request from 'supertest';
import { HISTOGRAM_RESOLUTION } from '../../../src/stats/histogram';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';
import { type Script, scriptedRun } from './stats-scripted-run';

const MIN = 60_000;
const HOUR = 3_600_000;
// Ten minutes into the previous hour: recent (minute buckets kept), whole 5-minute buckets from here.
const T0 = Math.floor(Date.now() / HOUR) * HOUR - HOUR + 10 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

let app: TestApp;
let viewer: string;

/** `exact` within the histogram's stated resolution. */
const near = (exact: number) => ({
  asymmetricMatch: (x: unknown) =>
    typeof x === 'number' && Math.abs(x - exact) <= Math.abs(exact) * HISTOGRAM_RESOLUTION,
  toString: () => `≈${exact} (±${(HISTOGRAM_RESOLUTION * 100).toFixed(1)} %)`,
});

/**
 * The scripted run: 20 buys of strategy `trend` sending after 100, 200 … 2000 ms and filling 50 ms later,
 * alternately 30 above (+5 bps) and 30 below (−5 bps) the alert's 60,000, the first two paying 0.001 BNB
 * fees, the others 0.1 USDT; 2 sells of strategy `revert` five minutes later, 300 ms, filled 60 below
 * (+10 bps: a sell below the reference is a cost), no fee; 3 alerts for an unknown account (rejected).
 */
function scripts(): Script[] {
  const trend: Script[] = Array.from({ length: 20 }, (_, i) => ({
    alert: { action: 'buy', comment: 'trend' },
    at: T0 + i * 1000,
    sendAfterMs: 100 * (i + 1),
    exchangeMs: 50,
    fillPrice: i % 2 === 0 ? 60_030 : 59_970,
    fee: i < 2 ? { cost: 0.001, currency: 'BNB' } : { cost: 0.1, currency: 'USDT' },
  }));
  const revert: Script[] = [0, 1].map((i) => ({
    alert: { action: 'sell', meta: { strategy: 'revert' } },
    at: T0 + 5 * MIN + 1000 + i * 1000,
    sendAfterMs: 300,
    exchangeMs: 20,
    fillPrice: 59_940,
  }));
  const rejected: Script[] = [0, 1, 2].map((i) => ({
    alert: { action: 'buy', account: 'other' },
    at: T0 + 30_000 + i * 1000,
    sendAfterMs: 10,
    exchangeMs: 0,
    fillPrice: 60_000,
  }));
  return [...trend, ...revert, ...rejected];
}

beforeAll(async () => {
  app = await startTestApp('stats-api');
  viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
  for (const script of scripts()) await scriptedRun(app.redis, app.prefix, script);
});
afterAll(() => app.close());

const get = (path: string) => request(app.url).get(`/api/v1${path}`).set('authorization', `Bearer ${viewer}`);
const window = `since=${encodeURIComponent(iso(T0 - MIN))}&until=${encodeURIComponent(iso(T0 + 10 * MIN))}`;

describe('GET /api/v1/stats/summary', () => {
  it('when the scripted run is over, then it counts every signal by status with exact fills, fees per currency and volume', async () => {
    const res = await get(`/stats/summary?${window}`).expect(200);

    expect(res.body).toMatchObject({
      since: iso(T0 - MIN),
      until: iso(T0 + 10 * MIN),
      account: null,
      counts: { filled: 22, rejected: 3 },
      total: 25,
      fills: 22,
      fees: { USDT: 1.8, BNB: 0.002 },
      volume: { USDT: 13_198.8 },
      resolution: expect.closeTo(HISTOGRAM_RESOLUTION, 3),
    });
  });

  it('when latencies were 100…2000 ms and twice 300 ms, then p50/p99 are the nearest-rank ones within the resolution', async () => {
    const res = await get(`/stats/summary?${window}`).expect(200);

    // alert→sent sorted: 100, 200, 300, 300, 300, 400 … 2000: the 11th of 22 is 900, the 22nd 2000.
    expect(res.body.alertToSentMs).toEqual({ count: 22, p50: near(900), p99: near(2000) });
    // alert→filled: 150, 250, 320, 320, 350, 450 … 2050: the 11th is 950.
    expect(res.body.alertToFilledMs).toEqual({ count: 22, p50: near(950), p99: near(2050) });
  });

  it('when buys filled above and below the reference and sells below it, then slippage is signed as a cost', async () => {
    const res = await get(`/stats/summary?${window}`).expect(200);

    // ten at −5 bps, ten at +5, two sells at +10 (below the reference: worse for the seller).
    expect(res.body.slippageBps).toEqual({ count: 22, p50: near(5), p99: near(10) });
  });

  it('when asked for one account, then only its signals count', async () => {
    const res = await get(`/stats/summary?${window}&account=other`).expect(200);

    expect(res.body).toMatchObject({
      account: 'other',
      counts: { rejected: 3 },
      total: 3,
      fills: 0,
      fees: {},
    });
    expect(res.body.alertToSentMs).toEqual({ count: 0, p50: null, p99: null });
  });

  it('when no window is given, then it covers the last 24 hours', async () => {
    const res = await get('/stats/summary').expect(200);

    expect(res.body.total).toBe(25);
    expect(Date.parse(res.body.until) - Date.parse(res.body.since)).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it('when since is after until, then 400 names the problem', async () => {
    const res = await get(`/stats/summary?since=${iso(T0)}&until=${iso(T0 - MIN)}`).expect(400);

    expect(res.body).toMatchObject({
      error: 'invalid_request',
      issues: [{ path: 'query.since', message: 'must not be after until' }],
    });
  });
});

describe('GET /api/v1/stats/execution', () => {
  it('when grouped by strategy in 5-minute buckets, then each strategy has its bucket with its own figures', async () => {
    const res = await get(`/stats/execution?groupBy=strategy&bucket=5m&${window}`).expect(200);

    expect(res.body).toMatchObject({ groupBy: 'strategy', bucket: '5m', since: iso(T0 - 5 * MIN) });
    expect(res.body.groups.map((g: { group: string }) => g.group)).toEqual(['trend', 'revert']);
    const [trend, revert] = res.body.groups;
    expect(trend.buckets).toHaveLength(1);
    expect(trend.buckets[0]).toMatchObject({
      start: iso(T0),
      counts: { filled: 20 },
      fills: 20,
      fees: { USDT: 1.8, BNB: 0.002 },
      volume: { USDT: 12_000 },
      alertToSentMs: { count: 20, p50: near(1000), p99: near(2000) },
      slippageBps: { count: 20, p50: near(-5), p99: near(5) },
    });
    const { start: _start, ...bucketFigures } = trend.buckets[0];
    expect(trend.totals).toEqual(bucketFigures);
    expect(revert.buckets).toEqual([
      expect.objectContaining({
        start: iso(T0 + 5 * MIN),
        counts: { filled: 2 },
        alertToSentMs: { count: 2, p50: near(300), p99: near(300) },
        alertToFilledMs: { count: 2, p50: near(320), p99: near(320) },
        slippageBps: { count: 2, p50: near(10), p99: near(10) },
        fees: {},
      }),
    ]);
  });

  it('when grouped by account in hours, then the unknown account shows its rejections', async () => {
    const res = await get(`/stats/execution?groupBy=account&bucket=1h&${window}`).expect(200);

    const byName = Object.fromEntries(
      res.body.groups.map((g: { group: string; totals: unknown }) => [g.group, g.totals]),
    );
    expect(byName).toEqual({
      main: expect.objectContaining({ counts: { filled: 22 }, total: 22 }),
      other: expect.objectContaining({ counts: { rejected: 3 }, total: 3 }),
    });
    expect(res.body.groups[0].buckets[0].start).toBe(iso(T0 - 10 * MIN));
  });

  it.each([
    ['5m', 25 * HOUR, 'the window may span at most 1 day for bucket=5m'],
    ['1h', 32 * 24 * HOUR, 'the window may span at most 31 days for bucket=1h'],
  ])('when bucket=%s spans too long a window, then 400 names the limit', async (bucket, span, message) => {
    const res = await get(
      `/stats/execution?bucket=${bucket}&since=${iso(T0 - span)}&until=${iso(T0)}`,
    ).expect(400);

    expect(res.body).toMatchObject({ error: 'invalid_request', issues: [{ path: 'query.since', message }] });
  });

  it('when groupBy is not a dimension, then 400 names the parameter', async () => {
    const res = await get('/stats/execution?groupBy=exchange').expect(400);

    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'query.groupBy' })]);
  });

  it('when called without a key, then 401', async () => {
    await request(app.url).get('/api/v1/stats/execution').expect(401);
  });
});
