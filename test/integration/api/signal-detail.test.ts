import request from 'supertest';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { type Alert } from '../../../src/signals/alert';
import { issueKey } from '../../support/api-keys';
import { executionHarness } from '../../support/memory/execution-harness';
import { type TestApp, eventually, startTestApp } from '../../support/test-app';
import { webhookAlert } from '../../support/webhook-alert';

const TOKEN = 'detail-token-7f3a91c2';

let app: TestApp;
let viewer: string;
let n = 0;

beforeAll(async () => {
  app = await startTestApp('signal-detail', { WEBHOOK_TOKENS: TOKEN }, { worker: true });
  viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
});
afterAll(() => app.close());

const getSignal = (id: string) =>
  request(app.url).get(`/api/v1/signals/${id}`).set('authorization', `Bearer ${viewer}`);

/**
 * A scripted run on an injected clock: the alert at T, received 345 ms later, queued 2 ms after that, the
 * run starts 4 ms later, the exchange answers each order after 42 ms and fills market orders at `fillPrice`.
 */
async function scriptedRun(alert: Partial<Alert>, fillPrice: number) {
  const alertAt = Date.UTC(2026, 10, 30, 14, 3, 12, 0);
  const { signal, clock, run } = executionHarness(
    { symbol: 'BINANCE:BTCUSDT', timestamp: alertAt, ...alert },
    {
      at: alertAt,
      envelope: {
        id: `sig_${(++n).toString(16).padStart(24, 'd')}`,
        auth: 'hmac',
        requestId: 'req-scripted',
        receivedAt: alertAt + 345,
      },
      timing: { price: fillPrice, answerMs: 42 },
    },
  );
  const store = new SignalStore(app.redis, redisKeys(app.prefix), 30);
  await store.recordQueued(signal, signal.receivedAt + 2);
  clock.advance(351);
  await run({ history: store });
  return signal;
}

describe('GET /api/v1/signals/:id', () => {
  it('when a market buy filled 30 above the alert price, then the timeline has every step with its durations and the slippage is +5 bps, +0.3 quote', async () => {
    const signal = await scriptedRun({ action: 'buy' }, 60_030);

    const res = await getSignal(signal.id).expect(200);

    expect(res.body.timeline).toEqual([
      { event: 'alert', at: '2026-11-30T14:03:12.000Z', sinceAlertMs: 0 },
      { event: 'received', at: '2026-11-30T14:03:12.345Z', sinceAlertMs: 345, sincePreviousMs: 345 },
      { event: 'queued', at: '2026-11-30T14:03:12.347Z', sinceAlertMs: 347, sincePreviousMs: 2 },
      { event: 'started', at: '2026-11-30T14:03:12.351Z', sinceAlertMs: 351, sincePreviousMs: 4 },
      {
        event: 'order_sent',
        leg: 'open',
        at: '2026-11-30T14:03:12.351Z',
        sinceAlertMs: 351,
        sincePreviousMs: 0,
      },
      {
        event: 'order_acknowledged',
        leg: 'open',
        at: '2026-11-30T14:03:12.393Z',
        sinceAlertMs: 393,
        sincePreviousMs: 42,
      },
      { event: 'filled', leg: 'open', at: '2026-11-30T14:03:12.393Z', sinceAlertMs: 393, sincePreviousMs: 0 },
      { event: 'finished', at: '2026-11-30T14:03:12.393Z', sinceAlertMs: 393, sincePreviousMs: 0 },
    ]);
    expect(res.body.orders).toEqual([
      expect.objectContaining({
        leg: 'open',
        side: 'buy',
        filled: 0.01,
        average: 60_030,
        slippage: { quote: 0.3, bps: 5 },
      }),
    ]);
    expect(res.body).toMatchObject({
      id: signal.id,
      status: 'filled',
      auth: 'hmac',
      requestId: 'req-scripted',
      attempts: 1,
      slippageBps: 5,
      error: null,
      deadLetter: null,
      plan: { steps: [expect.objectContaining({ kind: 'order' })] },
    });
    expect(res.body.calls).toContainEqual({
      call: 'createOrder',
      at: '2026-11-30T14:03:12.351Z',
      ms: 42,
      ok: true,
    });
  });

  it('when a market sell filled 30 below the alert price, then its slippage is positive too (worse for the trader)', async () => {
    const signal = await scriptedRun({ action: 'sell' }, 59_970);
    const res = await getSignal(signal.id).expect(200);
    expect(res.body.orders[0]).toMatchObject({ side: 'sell', slippage: { quote: 0.3, bps: 5 } });
    expect(res.body.slippageBps).toBe(5);
  });

  it('when a fill is better than the alert price, then the slippage is negative', async () => {
    const signal = await scriptedRun({ action: 'buy' }, 59_940);
    const res = await getSignal(signal.id).expect(200);
    expect(res.body.orders[0].slippage).toEqual({ quote: -0.6, bps: -10 });
  });

  it('when an alert came through the webhook with a token, then its detail never shows the token', async () => {
    const alert = webhookAlert(`detail-${Date.now()}`, {
      token: TOKEN,
      quantity: 0.001,
      price: 60_000,
      comment: 'paper run',
    });
    const res = await request(app.url)
      .post('/webhook')
      .set('content-type', 'application/json')
      .send(alert)
      .expect(202);
    const id = res.body.id as string;
    const detail = await eventually(async () => {
      const r = await getSignal(id);
      return r.body.status === 'filled' ? r.body : undefined;
    });
    expect(JSON.stringify(detail)).not.toContain(TOKEN);
    expect(detail).toMatchObject({ auth: 'token', strategy: 'paper run', alert: { symbol: 'BTCUSDT' } });
    expect(detail.timeline.map((t: { event: string }) => t.event)).toEqual(
      expect.arrayContaining([
        'alert',
        'received',
        'queued',
        'started',
        'order_sent',
        'order_acknowledged',
        'filled',
        'finished',
      ]),
    );
  });

  it('answers 404 not_found for an unknown signal and 400 naming params.id for a malformed id', async () => {
    const missing = await getSignal('sig_000000000000000000000000').expect(404);
    expect(missing.body).toEqual({ error: 'not_found', message: 'no signal sig_000000000000000000000000' });
    const bad = await getSignal('nope').expect(400);
    expect(bad.body.issues[0].path).toBe('params.id');
  });
});
