import { type FinishedRun } from '../../../src/history/signal-store-types';
import { type OrderRecord } from '../../../src/signals/signal-record';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { StatsQuery } from '../../../src/stats/stats-query';
import { StatsRecorder } from '../../../src/stats/stats-recorder';
import { silentLogger as silent } from '../../support/memory/main-account';
import { statsFixture } from './stats-scripted-run';

/**
 * The statistics follow a signal through every status it can take afterwards: each signal counts once, as it
 * is now, whatever order its changes come in.
 */
describe('statistics across a signal’s life', () => {
  const { redis, keys, now, store } = statsFixture('stats-lifecycle');
  const query = new StatsQuery(redis, keys);
  let n = 0;

  // Each test uses an account of its own, so the tests hold in any order.
  const signal = (account: string, at = now - 60_000): SignalEnvelope => ({
    id: `sig_${(++n).toString(16).padStart(24, 'c')}`,
    auth: 'token',
    requestId: `r${n}`,
    receivedAt: at,
    alert: {
      account,
      symbol: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      quantityType: 'base',
      quantity: 1,
      price: 100,
    },
  });
  const order = (extra: Partial<OrderRecord>): OrderRecord => ({
    leg: 'open',
    exchangeId: '9',
    clientOrderId: 'th1open',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    amount: 1,
    filled: 0,
    status: 'open',
    sentAt: now - 59_000,
    ...extra,
  });
  const summary = (account: string) =>
    query.summary({ since: now - 3_600_000, until: now + 60_000, account, now });
  /** Records `s` queued when received, started 10 ms later, and ended with `run`. */
  const runToEnd = async (s: SignalEnvelope, run: FinishedRun) => {
    await store.recordQueued(s, s.receivedAt);
    await store.start(s, s.receivedAt + 10);
    await store.finish(s.id, run);
  };

  it('when a placed signal later fills through the order watch, then it moves from placed to filled with its fill, fee and latency', async () => {
    const s = signal('watched');
    await runToEnd(s, {
      status: 'placed',
      finishedAt: s.receivedAt + 1_000,
      progress: { stepsDone: 1, orders: [order({})], calls: [] },
      watch: { firstCheckAt: s.receivedAt + 2_000 },
    });
    expect(await summary('watched')).toMatchObject({ counts: { placed: 1 }, fills: 0 });

    const filled = order({
      filled: 1,
      average: 101,
      cost: 101,
      status: 'closed',
      filledAt: s.receivedAt + 30_000,
      fee: { cost: 0.1, currency: 'USDT' },
    });
    await store.update(s.id, {
      from: 'placed',
      to: 'filled',
      progress: { stepsDone: 1, orders: [filled], calls: [] },
      finishedAt: s.receivedAt + 30_000,
    });

    const after = await summary('watched');
    expect(after).toMatchObject({
      counts: { filled: 1 },
      total: 1,
      fills: 1,
      fees: { USDT: 0.1 },
      volume: { USDT: 101 },
    });
    expect(after.alertToFilledMs.count).toBe(1);
    expect(after.alertToFilledMs.p50).toBeCloseTo(30_000, -3);
    expect(after.slippageBps).toMatchObject({ count: 1 }); // +100 bps: bought 1 above 100
    expect(after.slippageBps.p50).toBeGreaterThan(97.5);
    expect(after.slippageBps.p50).toBeLessThan(102.5);
  });

  it('when a failed signal is retried, then it leaves the failed count until it ends again, and counts once', async () => {
    const s = signal('retried');
    await store.recordQueued(s, s.receivedAt);
    await store.start(s, s.receivedAt + 10);
    await store.failIfOpen(s.id, { code: 'exchange_unavailable', message: 'down' }, s.receivedAt + 100);
    expect((await summary('retried')).counts).toEqual({ failed: 1 });

    await store.requeue(s.id, s.receivedAt + 200);
    expect((await summary('retried')).counts).toEqual({});

    await store.start(s, s.receivedAt + 300);
    await store.finish(s.id, {
      status: 'filled',
      finishedAt: s.receivedAt + 400,
      progress: {
        stepsDone: 1,
        orders: [order({ filled: 1, average: 100, cost: 100, status: 'closed' })],
        calls: [],
      },
    });
    expect(await summary('retried')).toMatchObject({ counts: { filled: 1 }, total: 1, fills: 1 });
  });

  it('when the same change is recorded twice, then the signal still counts once', async () => {
    const s = signal('twice');
    await runToEnd(s, {
      status: 'rejected',
      finishedAt: s.receivedAt + 20,
      progress: { stepsDone: 0, orders: [], calls: [] },
      error: { code: 'max_order_cost', message: 'too big' },
    });
    const recorder = new StatsRecorder({ redis, keys, retentionDays: 30, logger: silent, now: () => now });

    await recorder.record(s.id);

    expect(await summary('twice')).toMatchObject({ counts: { rejected: 1 }, total: 1 });
  });

  it('when statistics are written, then every bucket expires with the history (minutes after 48 h)', async () => {
    const s = signal('expiring');
    await runToEnd(s, {
      status: 'done',
      finishedAt: s.receivedAt + 20,
      progress: { stepsDone: 1, orders: [], calls: [] },
    });

    const day = 86_400_000;
    const minute = Math.floor(s.receivedAt / 60_000) * 60_000;
    const hour = Math.floor(s.receivedAt / 3_600_000) * 3_600_000;
    const minuteTtl = await redis.pttl(`${keys.stats}:m:${minute}:account`);
    const hourTtl = await redis.pttl(`${keys.stats}:h:${hour}:account`);
    expect(minuteTtl).toBeGreaterThan(47 * 3_600_000);
    expect(minuteTtl).toBeLessThanOrEqual(2 * day + 60_000);
    expect(hourTtl).toBeGreaterThan(29 * day);
    expect(hourTtl).toBeLessThanOrEqual(30 * day + 3_600_000);
  });
});
