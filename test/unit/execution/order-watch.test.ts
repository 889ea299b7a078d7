import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { executeSignal } from '../../../src/execution/execute-signal';
import { type ExecutionDeps } from '../../../src/execution/execution-deps';
import { OrderWatch } from '../../../src/execution/order-watch/order-watch';
import { OrderWatchList } from '../../../src/history/order-watch-list';
import { SignalStore } from '../../../src/history/signal-store';
import { createLogger } from '../../../src/observability/logger';
import { redisKeys } from '../../../src/redis/keys';
import { type Alert } from '../../../src/signals/alert';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { FakeClock } from '../../support/memory/fake-clock';
import { MemoryExchange } from '../../support/memory/memory-exchange';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const logger = createLogger({
  level: 'error',
  json: true,
  stream: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

describe('OrderWatch: the follower and the reconciler', () => {
  const prefix = uniquePrefix('order-watch');
  const keys = redisKeys(prefix);
  const redis = new Redis(REDIS_URL);
  const store = new SignalStore(redis, keys, 1);
  const list = new OrderWatchList(redis, keys);
  let clock: FakeClock;
  let exchange: MemoryExchange;
  let seq = 0;

  beforeEach(async () => {
    clock = new FakeClock();
    exchange = new MemoryExchange(clock, { accountId: 'main' });
    await redis.del(keys.watch, keys.watchItems); // each test watches only its own signals
  });

  /** The wall time of the fake clock as the notes print it. */
  const hhmm = () => `${new Date(clock.now()).toISOString().slice(11, 16)} UTC`;
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  const watch = (overrides: Partial<ConstructorParameters<typeof OrderWatch>[0]> = {}) =>
    new OrderWatch({ list, store, session: () => exchange, logger, clock, ...overrides });

  /** Runs a signal through the real executor and store; returns its id and client order id prefix. */
  async function runSignal(alert: Partial<Alert>, deps: Partial<ExecutionDeps> = {}) {
    const id = `sig_${(++seq).toString(16).padStart(24, '0')}`;
    const signal: SignalEnvelope = {
      id,
      auth: 'token',
      requestId: `req-${seq}`,
      receivedAt: clock.now(),
      alert: {
        account: 'main',
        symbol: 'BTC/USDT',
        action: 'buy',
        orderType: 'market',
        quantity: 0.01,
        quantityType: 'base',
        price: 60_000,
        ...alert,
      },
    };
    await store.recordQueued(signal, clock.now());
    const outcome = await executeSignal(signal, {
      accounts: new Map([['main', { id: 'main', defaultType: 'spot', symbols: [] }]]),
      session: () => exchange,
      history: store,
      logger,
      maxAgeSeconds: 300,
      retry: { baseDelayMs: 1_000, maxDelayMs: 10_000, afterFirstOrderMs: 60_000 },
      clock,
      ...deps,
    });
    return { id, outcome, open: `th${id.slice(4)}open` };
  }

  const onList = async (id: string) => (await list.entries()).find((e) => e.signalId === id);

  it('when a resting limit order fills later on the book, then the signal turns filled with the real fill and leaves the list', async () => {
    const { id, outcome, open } = await runSignal({ orderType: 'limit', price: 59_000 });
    expect(outcome.status).toBe('placed');
    expect(await onList(id)).toEqual({ signalId: id, nextAt: clock.now() + 2_000 });

    // Not due yet: nothing is looked at.
    expect(await watch().checkDue()).toBe(0);
    clock.advance(2_000);
    expect(await watch().checkDue()).toBe(1); // still resting: looked at, put back for later
    expect((await store.get(id))?.status).toBe('placed');
    const next = (await onList(id))!.nextAt;
    expect(next).toBeGreaterThan(clock.now());

    exchange.fill(open, 58_990);
    clock.advance(next - clock.now());
    await watch().checkDue();

    const record = await store.get(id);
    expect(record).toMatchObject({ status: 'filled', finishedAt: clock.now() });
    expect(record?.orders).toEqual([
      // 10 below the alert's limit price of 59,000: a negative slippage, in percent.
      expect.objectContaining({
        clientOrderId: open,
        status: 'closed',
        filled: 0.01,
        average: 58_990,
        slippage: -0.0169,
      }),
    ]);
    expect(record?.notes).toEqual([`followed ${hhmm()}: order ${open} filled 0.01 @ 58990`]);
    expect(await onList(id)).toBeUndefined();
  });

  it('when a resting order is partly filled and then canceled on the exchange, then the signal turns canceled and keeps the partial fill', async () => {
    const { id, open } = await runSignal({ orderType: 'limit', price: 59_000 });
    exchange.fill(open, 59_000, 0.004);
    clock.advance(2_000);
    await watch().checkDue();
    expect(await store.get(id)).toMatchObject({
      status: 'placed',
      orders: [expect.objectContaining({ filled: 0.004 })],
    });

    exchange.cancel(open, 'expired');
    clock.advance(10 * 60_000);
    await watch().checkDue();

    const record = await store.get(id);
    expect(record?.status).toBe('canceled');
    expect(record?.orders).toEqual([
      expect.objectContaining({ status: 'expired', filled: 0.004, average: 59_000 }),
    ]);
    expect(record?.notes).toContain(
      `followed ${hhmm()}: order ${open} expired on the exchange, filled 0.004 of 0.01 @ 59000`,
    );
    expect(await onList(id)).toBeUndefined();
  });

  it('when an order of unknown fate appears on the exchange later, then it is adopted: the failed signal turns filled and says what happened', async () => {
    exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const { id, outcome, open } = await runSignal({});
    expect(outcome.error?.code).toBe('order_state_unknown');
    expect(await onList(id)).toBeDefined();

    exchange.failFind(0);
    clock.advance(2_000);
    await watch().checkDue();

    const record = await store.get(id);
    expect(record?.status).toBe('filled');
    expect(record?.error).toBeUndefined();
    expect(record?.orders).toEqual([
      expect.objectContaining({ clientOrderId: open, filled: 0.01, average: 60_000 }),
    ]);
    expect(record?.notes).toEqual([
      `reconciled ${hhmm()}: order ${open} found on the exchange, filled 0.01 @ 60000`,
    ]);
    expect(exchange.callsOf('createOrder')).toHaveLength(1);
    expect(await onList(id)).toBeUndefined();
  });

  it('when an order of unknown fate is still absent once its receive window is over, then the signal stays failed as order_not_placed', async () => {
    exchange.failCreate({ kind: 'timeout' }).failFind(Infinity);
    const { id, open } = await runSignal({});

    exchange.failFind(0);
    clock.advance(2_000);
    await watch().checkDue();

    const record = await store.get(id);
    expect(record?.status).toBe('failed');
    expect(record?.error).toEqual({
      code: 'order_not_placed',
      message: `proven absent: the exchange never placed order ${open}; nothing to check by hand`,
    });
    expect(record?.notes).toEqual([
      `reconciled ${hhmm()}: order ${open} proven absent on the exchange; it was never placed`,
    ]);
    expect(await onList(id)).toBeUndefined();
  });

  it('when the exchange has no such order yet but its receive window is not over, then the order stays unknown until it is', async () => {
    exchange.orderAcceptWindowMs = 10 * 60_000; // e.g. an exchange without a window: a long doubt period
    exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const sentAt = clock.now();
    const { id, open } = await runSignal({});
    exchange.orders.delete(open); // as if the request were still inside the exchange, not yet executed
    exchange.failFind(0);

    clock.advance(2_000);
    await watch().checkDue();

    expect((await store.get(id))?.error?.code).toBe('order_state_unknown');
    expect(await onList(id)).toEqual({ signalId: id, nextAt: sentAt + 10 * 60_000 });

    clock.advance(sentAt + 10 * 60_000 - clock.now());
    await watch().checkDue();
    expect((await store.get(id))?.error?.code).toBe('order_not_placed');
  });

  it('when the lookup keeps failing, then the reconciler backs off and gives up 24 h after the send, telling the trader to check by hand', async () => {
    exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const sentAt = clock.now();
    const { id, open } = await runSignal({});
    const gaps: number[] = [];
    for (let looks = 0; looks < 1_000 && (await onList(id)); looks++) {
      const due = (await onList(id))!.nextAt;
      gaps.push(due - clock.now());
      clock.advance(Math.max(0, due - clock.now()));
      await watch().checkDue();
    }

    expect(await onList(id)).toBeUndefined();
    expect(clock.now()).toBeGreaterThanOrEqual(sentAt + 24 * 3600_000);
    expect(clock.now()).toBeLessThan(sentAt + 24 * 3600_000 + 60_000);
    // Backing off: later looks are further apart, up to 10 minutes.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(600_000);
    expect(gaps.at(-2)!).toBeGreaterThan(gaps[1]);
    const record = await store.get(id);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('order_state_unknown');
    expect(record?.notes?.at(-1)).toMatch(
      new RegExp(`^reconciler gave up .*: order ${open} could not be looked up for 24 h`),
    );
  });

  it('when two workers look at the same time, then each due signal is checked by one of them only', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await runSignal({ orderType: 'limit', price: 59_000 })).id);
    clock.advance(2_000);
    const before = exchange.callsOf('findOrder').length;

    const [a, b] = await Promise.all([watch().checkDue(), watch().checkDue()]);

    expect(a + b).toBe(6);
    expect(exchange.callsOf('findOrder').length - before).toBe(6);
  });

  it('when a worker dies holding a claim, then another takes the signal once the lease has run out', async () => {
    const { id, open } = await runSignal({ orderType: 'limit', price: 59_000 });
    clock.advance(2_000);
    const [claim] = await list.claim({ now: clock.now(), leaseMs: 120_000, limit: 10 });
    expect(claim.signalId).toBe(id); // …and this "worker" dies without releasing it.
    exchange.fill(open, 59_000);

    expect(await watch().checkDue()).toBe(0);
    clock.advance(120_000);
    expect(await watch().checkDue()).toBe(1);
    expect((await store.get(id))?.status).toBe('filled');
    // The dead worker's late release cannot undo the other's work.
    expect(await list.reschedule(claim, clock.now(), claim.item)).toBe(false);
  });

  it("when a record's status changed meanwhile, then an update written against the old status is refused (compare-and-set), and no update moves a final record backwards", async () => {
    const { id, open } = await runSignal({ orderType: 'limit', price: 59_000 });
    exchange.fill(open, 59_000);
    const snapshot = (await store.getWithProgress(id))!;
    await expect(
      store.update(id, { from: 'placed', to: 'filled', progress: snapshot.progress }),
    ).resolves.toBe(true);

    await expect(
      store.update(id, { from: 'placed', to: 'canceled', progress: snapshot.progress }),
    ).resolves.toBe(false);
    await expect(
      store.update(id, { from: 'filled', to: 'placed', progress: snapshot.progress }),
    ).rejects.toThrow(/would move a final record backwards/);
    expect((await store.get(id))?.status).toBe('filled');
  });

  it('when an unknown order is found but the plan had later steps, then the signal stays failed and names the steps never carried out', async () => {
    exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const { id } = await runSignal({ orderType: 'limit', price: 59_000 });
    // Rewrite the stored plan as if a stop-loss leg followed the entry (a Binance-futures style plan).
    const stored = (await store.getWithProgress(id))!;
    const entry = stored.progress.steps![0];
    if (entry.kind !== 'order') throw new Error('expected an order step');
    const sl = {
      kind: 'order' as const,
      intent: { ...entry.intent, leg: 'sl', clientOrderId: `${entry.intent.clientOrderId.slice(0, -4)}sl` },
    };
    await redis.hset(keys.signal(id), 'plan', JSON.stringify([entry, sl]));

    exchange.failFind(0);
    clock.advance(2_000);
    await watch().checkDue();

    const record = await store.get(id);
    expect(record?.status).toBe('failed');
    expect(record?.error).toEqual({
      code: 'later_steps_skipped',
      message: expect.stringContaining('its later steps (sl) were not carried out: check the position'),
    });
    expect(record?.orders).toEqual([expect.objectContaining({ leg: 'open', status: 'open' })]);
    // It rests: the follower goes on watching it.
    expect(await onList(id)).toBeDefined();
  });
});
