import request from 'supertest';
import { PromExecutionObserver } from '../../../src/observability/metrics-execution';
import { startMetricsPush } from '../../../src/observability/metrics-push';
import { partitionOf, signalQueueName } from '../../../src/queue/partitions';
import { redisKeys } from '../../../src/redis/keys';
import { captureLogs } from '../../support/log-capture';
import { sample } from '../../support/prometheus';
import { type TestApp, eventually, startTestApp } from '../../support/test-app';
import { webhookAlert } from '../../support/webhook-alert';

const METRICS_TOKEN = 'metrics-token-0123456789';
const AHEAD_MS = 5_000;
let app: TestApp;

const scrape = async (url = app.url) => {
  const res = await request(url).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
};
/** Posts the alert `id` to `url`: a buy of 1 BTCUSDT at 10 with the test token, unless `extra` says otherwise. */
const alert = (id: string, extra: Record<string, unknown> = {}, url = app.url) =>
  request(url)
    .post('/webhook')
    .set('content-type', 'application/json')
    .send(webhookAlert(id, { price: 10, ...extra }));

beforeAll(async () => {
  // The web's clock runs 5 s ahead, so the oldest waiting job is 5 s old at the first scrape.
  app = await startTestApp(
    'metrics',
    { METRICS_TOKEN },
    { web: { management: { now: () => Date.now() + AHEAD_MS } } },
  );
});
afterAll(() => app.close());

describe('GET /metrics', () => {
  it.each([
    ['no credentials', undefined],
    ['a wrong token', 'Bearer metrics-token-0123456780'],
    ['the token without Bearer', METRICS_TOKEN],
  ])('when it comes with %s, then 401', async (_case, authorization) => {
    const req = request(app.url).get('/metrics');
    if (authorization) req.set('authorization', authorization);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
    expect(res.text).not.toContain('tradehook_');
  });

  it('when alerts were answered, then they are counted by outcome and a bounded reason', async () => {
    const count = (text: string, outcome: string, reason: string) =>
      sample(text, 'tradehook_alerts_total', { outcome, reason }) ?? 0;
    const kinds: [string, string][] = [
      ['queued', ''],
      ['duplicate', ''],
      ['unauthorized', 'bad_token'],
      ['invalid_signal', ''],
    ];
    const before = await scrape();
    await alert('m-1').expect(202);
    await alert('m-1').expect(200);
    await alert('m-2', { token: 'wrong-token-123' }).expect(401);
    await alert('m-3', { qty: 1 }).expect(400);
    const after = await scrape();
    for (const [outcome, reason] of kinds)
      expect([outcome, count(after, outcome, reason) - count(before, outcome, reason)]).toEqual([outcome, 1]);
    // The offending field name is user input: it never becomes a label value.
    expect(after).not.toContain('qty');
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('when a signal waits (no worker), then its partition shows it and how long it has waited', async () => {
    await alert('wait-1', { symbol: 'ETHUSDT' }).expect(202);
    const queue = signalQueueName(partitionOf('default', 'ETHUSDT'));
    const text = await scrape();
    expect(sample(text, 'tradehook_queue_jobs', { queue, state: 'wait' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tradehook_queue_oldest_wait_seconds', { queue })).toBeGreaterThanOrEqual(
      AHEAD_MS / 1000 - 1,
    );
    expect(sample(text, 'tradehook_redis_up')).toBe(1);
  });

  it('when workers report breakers and an account is paused, then both show per account', async () => {
    const keys = redisKeys(app.prefix);
    await app.redis.hset(keys.breakers, { default: 'half-open', other: 'open', updatedAt: '1' });
    await app.redis.hset(keys.pausedAccounts, 'default', String(Date.now()));
    const text = await scrape();
    expect(sample(text, 'tradehook_exchange_breaker_state', { account: 'default', state: 'half_open' })).toBe(
      1,
    );
    expect(sample(text, 'tradehook_exchange_breaker_state', { account: 'default', state: 'closed' })).toBe(0);
    expect(sample(text, 'tradehook_exchange_breaker_state', { account: 'other', state: 'open' })).toBe(1);
    expect(sample(text, 'tradehook_account_paused', { account: 'default' })).toBe(1);
    await app.redis.hdel(keys.pausedAccounts, 'default');
    expect(sample(await scrape(), 'tradehook_account_paused', { account: 'default' })).toBe(0);
  });

  it('when two workers pushed their metrics, then /metrics serves their sum; a stale snapshot is dropped', async () => {
    const key = redisKeys(app.prefix).workerMetrics;
    const logger = captureLogs().logger;
    const observers = [new PromExecutionObserver(), new PromExecutionObserver(), new PromExecutionObserver()];
    // A scripted run, as the engine would report it.
    observers[0].orderSent({ account: 'default', sinceReceivedMs: 40 });
    observers[0].exchangeCall({
      account: 'default',
      call: 'createOrder',
      durationMs: 35,
      errorCode: 'timeout',
    });
    observers[0].orderFilled({ account: 'default', side: 'buy', slippageBps: 3 });
    observers[1].orderSent({ account: 'default', sinceReceivedMs: 1500 });
    observers[1].exchangeCall({ account: 'default', call: 'createOrder', durationMs: 20 });
    observers[2].orderSent({ account: 'default', sinceReceivedMs: 10 });
    const pushes = observers.map((o, i) =>
      startMetricsPush({
        redis: app.redis,
        key,
        workerId: `w${i}`,
        registry: o.registry,
        logger,
        intervalMs: 3_600_000,
        // The third worker's snapshot is a minute old: it is gone.
        now: i === 2 ? () => Date.now() + AHEAD_MS - 60_000 : () => Date.now() + AHEAD_MS,
      }),
    );
    for (const p of pushes) await p.push();

    const text = await scrape();
    expect(sample(text, 'tradehook_alert_to_order_seconds_count', { account: 'default' })).toBe(2);
    expect(sample(text, 'tradehook_alert_to_order_seconds_bucket', { account: 'default', le: '0.05' })).toBe(
      1,
    );
    expect(sample(text, 'tradehook_alert_to_order_seconds_bucket', { account: 'default', le: '2.5' })).toBe(
      2,
    );
    expect(
      sample(text, 'tradehook_exchange_call_seconds_count', { account: 'default', call: 'createOrder' }),
    ).toBe(2);
    expect(
      sample(text, 'tradehook_exchange_call_errors_total', {
        account: 'default',
        call: 'createOrder',
        code: 'timeout',
      }),
    ).toBe(1);
    expect(sample(text, 'tradehook_fill_slippage_bps_count', { account: 'default', side: 'buy' })).toBe(1);
    expect(await app.redis.hkeys(key)).toEqual(expect.not.arrayContaining(['w2']));
    for (const p of pushes) await p.stop();
    expect(await app.redis.hkeys(key)).toEqual([]);
  });
});

describe('worker metrics end to end', () => {
  it('when a real worker executes an alert, then its queue wait and final status reach the web /metrics', async () => {
    const full = await startTestApp('metricsworker', { METRICS_TOKEN }, { worker: true });
    try {
      const res = await alert('w-1', { quantity: 0.01, price: 100 }, full.url);
      expect(res.status).toBe(202);
      await eventually(async () => {
        const status = await full.redis.hget(`${full.prefix}:signal:${res.body.id}`, 'status');
        return status === 'filled' ? status : undefined;
      });
      await full.worker?.pushMetrics();
      const text = await scrape(full.url);
      expect(sample(text, 'tradehook_signal_queue_wait_seconds_count', { account: 'default' })).toBe(1);
      expect(sample(text, 'tradehook_signals_finished_total', { account: 'default', status: 'filled' })).toBe(
        1,
      );
      expect(sample(text, 'tradehook_workers')).toBe(1);
      expect(sample(text, 'tradehook_worker_process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await full.close();
    }
  });
});
