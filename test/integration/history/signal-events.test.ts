import { Redis } from 'ioredis';
import { EventLog } from '../../../src/events/event-log';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { type OrderRecord } from '../../../src/signals/signal-record';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** Every status change writes its list item, its index entries and its event in the same script. */
describe('signal events and indexes', () => {
  const prefix = uniquePrefix('signal-events');
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const store = new SignalStore(redis, keys, 1);
  const log = new EventLog({ redis, key: keys.events });
  let n = 0;

  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  const signal = (extra: Partial<SignalEnvelope['alert']> = {}): SignalEnvelope => ({
    id: `sig_${(++n).toString(16).padStart(24, 'e')}`,
    auth: 'token',
    requestId: `r${n}`,
    receivedAt: Date.UTC(2026, 10, 30, 14, 3, 12, 345),
    alert: {
      account: 'main',
      symbol: 'BINANCE:BTCUSDT',
      action: 'buy',
      orderType: 'market',
      quantityType: 'base',
      quantity: 0.01,
      price: 65000,
      meta: { strategy: 'ema-cross' },
      ...extra,
    },
  });
  const filledOrder: OrderRecord = {
    leg: 'open',
    exchangeId: '1',
    clientOrderId: 'thopen1',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: 0.01,
    filled: 0.01,
    average: 65010.5,
    cost: 650.105,
    status: 'closed',
    slippage: 0.0162,
  };
  const eventsOf = async (id: string) =>
    (await log.readAfter('0', 10_000)).filter((e) => (e.data as { id?: string }).id === id);
  const members = (key: string) => redis.zrange(key, 0, -1);
  const statusIndex = (status: string) => `${keys.signalIndexPrefix}:st:${status}`;

  it('when a signal is queued, then its record holds its list item and a signal.queued event carries it', async () => {
    const s = signal();
    await store.recordQueued(s, s.receivedAt + 2);

    const [event] = await eventsOf(s.id);
    expect(event).toMatchObject({ type: 'signal.queued', timestamp: '2026-11-30T14:03:12.347Z' });
    expect(event.data).toEqual({
      id: s.id,
      status: 'queued',
      account: 'main',
      symbol: 'BINANCE:BTCUSDT',
      market: null,
      action: 'buy',
      side: 'buy',
      strategy: 'ema-cross',
      receivedAt: '2026-11-30T14:03:12.345Z',
      finishedAt: null,
      orders: 0,
      filled: null,
      slippageBps: null,
      error: null,
    });
    expect(JSON.parse((await redis.hget(keys.signal(s.id), 'item')) ?? '')).toEqual(event.data);
    expect(await members(statusIndex('queued'))).toContain(s.id);
    expect(await members(`${keys.signalIndexPrefix}:acct:main`)).toContain(s.id);
    expect(await members(`${keys.signalIndexPrefix}:sym:BTCUSDT`)).toContain(s.id);
    expect(await members(`${keys.signalIndexPrefix}:strat:ema-cross`)).toContain(s.id);
  });

  it('when a run starts and fills, then the status index moves with it and only the final status publishes', async () => {
    const s = signal({ meta: undefined, comment: 'from comment' });
    await store.recordQueued(s, s.receivedAt);
    await store.start(s, s.receivedAt + 5);
    expect(await members(statusIndex('queued'))).not.toContain(s.id);
    expect(await members(statusIndex('processing'))).toContain(s.id);

    await store.finish(s.id, {
      status: 'filled',
      finishedAt: s.receivedAt + 65,
      progress: { stepsDone: 1, orders: [filledOrder], calls: [] },
    });

    const events = await eventsOf(s.id);
    expect(events.map((e) => e.type)).toEqual(['signal.queued', 'signal.filled']);
    expect(events[1].data).toMatchObject({
      status: 'filled',
      market: 'BTC/USDT',
      strategy: 'from comment',
      finishedAt: '2026-11-30T14:03:12.410Z',
      orders: 1,
      filled: { amount: 0.01, average: 65010.5, cost: 650.105 },
      slippageBps: 1.62,
    });
    expect(await members(statusIndex('processing'))).not.toContain(s.id);
    expect(await members(statusIndex('filled'))).toContain(s.id);
  });

  it('when a run fails with an order of unknown fate, then signal.failed and order.state_unknown are published and it joins the dead letters', async () => {
    const s = signal();
    await store.start(s, s.receivedAt + 5);
    const error = { code: 'order_state_unknown', message: 'may be live' };
    await store.finish(s.id, {
      status: 'failed',
      finishedAt: s.receivedAt + 900,
      error,
      progress: { stepsDone: 0, orders: [], calls: [] },
    });

    const events = await eventsOf(s.id);
    expect(events.map((e) => e.type)).toEqual(['signal.failed', 'order.state_unknown']);
    expect(events[1].data).toMatchObject({ status: 'failed', error });
    expect(await redis.zscore(keys.deadLetter, s.id)).toBe(String(s.receivedAt + 900));

    // The reconciler finds the order filled: the signal leaves the dead letters and publishes its fill.
    await store.update(s.id, {
      from: 'failed',
      to: 'filled',
      error: null,
      progress: { stepsDone: 1, orders: [filledOrder], calls: [] },
      finishedAt: s.receivedAt + 5000,
    });
    expect(await redis.zscore(keys.deadLetter, s.id)).toBeNull();
    expect((await eventsOf(s.id)).map((e) => e.type)).toEqual([
      'signal.failed',
      'order.state_unknown',
      'signal.filled',
    ]);
  });

  it('when the order watch rewrites a placed record with the same status, then no event is published but the item follows', async () => {
    const s = signal();
    await store.start(s, s.receivedAt + 5);
    const resting = { ...filledOrder, type: 'limit', filled: 0, average: undefined, cost: 0, status: 'open' };
    await store.finish(s.id, {
      status: 'placed',
      finishedAt: s.receivedAt + 10,
      progress: { stepsDone: 1, orders: [resting], calls: [] },
    });
    await store.update(s.id, {
      from: 'placed',
      to: 'placed',
      progress: { stepsDone: 1, orders: [{ ...resting, filled: 0.005, cost: 325 }], calls: [] },
    });

    expect((await eventsOf(s.id)).map((e) => e.type)).toEqual(['signal.placed']);
    const item = JSON.parse((await redis.hget(keys.signal(s.id), 'item')) ?? '');
    expect(item.filled).toEqual({ amount: 0.005, average: 65000, cost: 325 });
  });

  it('renders receipt times exactly as Date#toISOString across centuries, leap days and month ends', async () => {
    const times = [
      0, 951_782_400_000, 951_868_799_999, 1_709_164_800_123, 4_102_444_799_999, 1_234_567_890_123,
    ];
    for (const receivedAt of times) {
      const s = { ...signal(), receivedAt };
      await store.recordQueued(s, receivedAt);
      const item = JSON.parse((await redis.hget(keys.signal(s.id), 'item')) ?? '');
      expect(item.receivedAt).toBe(new Date(receivedAt).toISOString());
    }
  });
});
