import request from 'supertest';
import { partitionOf, signalQueueName } from '../../../src/queue/partitions';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { sample } from '../../support/prometheus';
import { type Engine, createOrdersFor, startEngine } from '../engine/behaviour/engine-harness';

/**
 * A scripted run on the real web and worker against the fake Binance, then `/metrics` (the web's own metrics
 * and the worker's, pushed through Redis): every metric the issue lists, with values the script implies.
 */
describe('metrics and breaker events after a scripted run', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('exec-metrics', [fake], ([f]) => [
      makeCcxtAccount(f, { id: 'bn', defaultType: 'spot' }),
    ]);
    fake.state.prices = { BTCUSDT: 60000, ETHUSDT: 3000 };
    fake.state.spotBalances.USDT = { free: 10000, locked: 0 };
  });
  afterAll(() => engine.close());

  const scrape = async () => {
    await engine.app.worker!.pushMetrics();
    return (await request(engine.app.url).get('/metrics').expect(200)).text;
  };
  const events = async () =>
    (await engine.app.redis.xrange(`${engine.app.prefix}:events`, '-', '+')).map(
      ([, fields]) => JSON.parse(fields[1]) as { type: string; data: Record<string, unknown> },
    );

  it('when alerts fill with slippage, one is refused and the exchange fails until the breaker opens, then every listed metric shows it', async () => {
    // 1. A market buy with a reference price of 59,900 fills at 60,000: 100/59,900 = 16.694 bps worse.
    const filled = await engine.run(
      {
        account: 'bn',
        symbol: 'BTCUSDT',
        action: 'buy',
        quantity: 0.001,
        price: 59900,
      },
      15_000,
    );
    expect(filled.status).toBe('filled');
    // 2. A permanent refusal of the order.
    fake.failNext('createOrder', { binanceCode: -1013, msg: 'Filter failure: NOTIONAL' });
    const refused = await engine.run(
      {
        account: 'bn',
        symbol: 'BTCUSDT',
        action: 'buy',
        quantity: 0.001,
        price: 60000,
      },
      15_000,
    );
    expect(refused.status).toBe('failed');
    // 3. The ticker fails six times in a row (two rounds of three tries): the fifth failure opens the
    //    breaker (FAST_POLICY: 5), the trial after 200 ms closes it, and the signal then fills.
    for (let i = 0; i < 6; i++) fake.failNext('ticker', { status: 503 });
    const recovered = await engine.run(
      { account: 'bn', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 },
      15_000,
    );
    expect(recovered.status).toBe('filled');
    expect(createOrdersFor(fake, recovered.id)).toHaveLength(1);
    // 4. A paused account.
    const trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader')).key;
    await request(engine.app.url)
      .post('/api/v1/accounts/bn/pause')
      .set('authorization', `Bearer ${trader}`)
      .expect(200);

    const text = await scrape();
    const bn = { account: 'bn' };
    // Alerts by outcome (web).
    expect(sample(text, 'tradehook_alerts_total', { outcome: 'queued' })).toBe(3);
    // Queue depth per partition (web) and queue wait (worker).
    const queue = signalQueueName(partitionOf('bn', 'BTCUSDT'));
    expect(sample(text, 'tradehook_queue_jobs', { queue, state: 'wait' })).toBe(0);
    expect(sample(text, 'tradehook_queue_oldest_wait_seconds', { queue })).toBe(0);
    expect(sample(text, 'tradehook_signal_queue_wait_seconds_count', bn)).toBe(3);
    // Alert → order sent: one per createOrder request (the refused one included).
    expect(sample(text, 'tradehook_alert_to_order_seconds_count', bn)).toBe(3);
    // Fill slippage: two fills at 60,000, against 59,900 (16.69 bps) and no reference price (not observed).
    expect(sample(text, 'tradehook_fill_slippage_bps_count', { ...bn, side: 'buy' })).toBe(1);
    expect(sample(text, 'tradehook_fill_slippage_bps_sum', { ...bn, side: 'buy' })).toBeCloseTo(16.694, 3);
    // Exchange calls by account and call; errors by code and kind.
    expect(sample(text, 'tradehook_exchange_call_seconds_count', { ...bn, call: 'createOrder' })).toBe(3);
    expect(
      sample(text, 'tradehook_exchange_call_errors_total', { ...bn, call: 'createOrder', kind: 'permanent' }),
    ).toBe(1);
    const priceErrors = text
      .split('\n')
      .filter(
        (l) => l.startsWith('tradehook_exchange_call_errors_total{') && l.includes('call="fetchPrice"'),
      );
    expect(priceErrors.join('\n')).toMatch(/kind="transient"/);
    expect(
      priceErrors.map((l) => Number(l.split(' ').at(-1))).reduce((a, b) => a + b, 0),
    ).toBeGreaterThanOrEqual(2);
    // Breaker state (back to closed) and the pause.
    expect(sample(text, 'tradehook_exchange_breaker_state', { ...bn, state: 'closed' })).toBe(1);
    expect(sample(text, 'tradehook_exchange_breaker_state', { ...bn, state: 'open' })).toBe(0);
    expect(sample(text, 'tradehook_account_paused', bn)).toBe(1);
    // Signals by final status (worker).
    expect(sample(text, 'tradehook_signals_finished_total', { ...bn, status: 'filled' })).toBe(2);
    expect(sample(text, 'tradehook_signals_finished_total', { ...bn, status: 'failed' })).toBe(1);

    // The breaker's opening and closing were published, in that order, once each.
    const breaker = (await events()).filter((e) => e.type.startsWith('account.breaker_'));
    expect(breaker.map((e) => [e.type, e.data.account, e.data.state])).toEqual([
      ['account.breaker_opened', 'bn', 'open'],
      ['account.breaker_closed', 'bn', 'closed'],
    ]);
  }, 60_000);
});
