import { Redis } from 'ioredis';
import { OrderWatchList } from '../../../src/history/order-watch-list';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { type RunProgress } from '../../../src/signals/run-progress';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** Every status change is a compare-and-set in Redis: these are the rules the engine relies on. */
describe('SignalStore status transitions', () => {
  const prefix = uniquePrefix('signal-store');
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const store = new SignalStore(redis, keys, 1);
  const watch = new OrderWatchList(redis, keys);
  let n = 0;

  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  const signal = (): SignalEnvelope => ({
    id: `sig_${(++n).toString(16).padStart(24, 'a')}`,
    auth: 'token',
    requestId: `r${n}`,
    receivedAt: 1_000,
    alert: {
      account: 'main',
      symbol: 'BTCUSDT',
      action: 'buy',
      orderType: 'market',
      quantityType: 'base',
      quantity: 1,
    },
  });
  const progress = (extra: Partial<RunProgress> = {}): RunProgress => ({
    stepsDone: 1,
    orders: [],
    calls: [],
    ...extra,
  });
  const resting = {
    leg: 'open',
    exchangeId: '9',
    clientOrderId: 'th1open',
    symbol: 'BTC/USDT',
    side: 'buy' as const,
    type: 'limit',
    amount: 1,
    filled: 0,
    status: 'open',
  };

  it('when a run starts on a record that already ended (BullMQ ran the job again), then nothing changes and the status is returned', async () => {
    const s = signal();
    await store.recordQueued(s, 1_000);
    await store.start(s, 2_000);
    await store.finish(s.id, { status: 'filled', finishedAt: 3_000, progress: progress() });

    const again = await store.start(s, 4_000);

    expect(again).toEqual({ state: 'final', status: 'filled' });
    expect(await store.get(s.id)).toMatchObject({ status: 'filled', attempts: 1, startedAt: 2_000 });
  });

  it('when a run saves progress after its record was ended by someone else, then the save is refused and the run stops', async () => {
    const s = signal();
    await store.start(s, 2_000);
    await store.failIfOpen(s.id, { code: 'worker_crash_loop', message: 'x' }, 3_000);

    await expect(store.saveProgress(s.id, progress())).rejects.toThrow(/no longer processing/);
    await expect(
      store.finish(s.id, { status: 'filled', finishedAt: 4_000, progress: progress() }),
    ).resolves.toBe(false);
    expect((await store.get(s.id))?.status).toBe('failed');
  });

  it('when a run ends placed, then the record and the order watch entry are written in one step', async () => {
    const s = signal();
    await store.start(s, 2_000);

    await store.finish(s.id, {
      status: 'placed',
      finishedAt: 3_000,
      progress: progress({ orders: [resting] }),
      watch: { firstCheckAt: 5_000 },
    });

    expect((await store.get(s.id))?.status).toBe('placed');
    expect(await watch.entries()).toContainEqual({ signalId: s.id, nextAt: 5_000 });
  });

  it('when BullMQ gives up on a run that left an order of unknown fate, then the order watch takes it over', async () => {
    const s = signal();
    await store.start(s, 2_000);
    await store.saveProgress(
      s.id,
      progress({ unresolved: { clientOrderId: 'th2open', sentAt: 2_100, since: 2_500 } }),
    );

    await store.failIfOpen(s.id, { code: 'worker_crash_loop', message: 'no worker could finish it' }, 9_000);

    expect(await store.get(s.id)).toMatchObject({ status: 'failed', error: { code: 'worker_crash_loop' } });
    expect(await watch.entries()).toContainEqual({ signalId: s.id, nextAt: 9_000 });
  });

  it('when BullMQ gives up on a run that left nothing on the exchange, then nothing is watched', async () => {
    const s = signal();
    await store.start(s, 2_000);
    await store.failIfOpen(s.id, { code: 'worker_crash_loop', message: 'x' }, 9_000);
    expect((await watch.entries()).map((e) => e.signalId)).not.toContain(s.id);
  });
});
