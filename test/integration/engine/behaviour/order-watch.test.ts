import { FakeBinance, makeCcxtAccount } from '../../../support/fake-exchange';
import { eventually } from '../../../support/test-app';
import {
  FAST_TUNING,
  type Engine,
  type FinalRecord,
  clientIdOf,
  createOrdersFor,
  startEngine,
} from './engine-harness';

/**
 * The order watch against a fake Binance: resting orders followed until they fill or are canceled on the
 * book, orders of unknown fate reconciled once the exchange answers. Its delays are shortened; its logic is
 * what production runs.
 */
describe('engine: the order watch follows and reconciles', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-watch', [fake], ([f]) => [makeCcxtAccount(f, { id: 'bn' })], {
      tuning: {
        ...FAST_TUNING,
        // The run hands an order of unknown fate to the watch 1.5 s after sending it.
        retry: { baseDelayMs: 10, maxDelayMs: 50, afterFirstOrderMs: 1_500 },
        watch: {
          pollMs: 50,
          firstCheckDelayMs: 50,
          tuning: { restingFirstMs: 50, restingMaxMs: 200, unknownFirstMs: 50, unknownMaxMs: 200 },
        },
      },
    });
  });
  afterAll(() => engine.close());

  /** Waits until the signal's record has `status` (the watch moves records on after the run). */
  const reaches = (id: string, status: string, timeoutMs = 8_000): Promise<FinalRecord> =>
    eventually(async () => {
      const rec = await engine.final(id);
      return rec.status === status ? rec : undefined;
    }, timeoutMs);

  const onWatchList = async (id: string) =>
    (await engine.app.redis.zscore(`${engine.app.prefix}:watch`, id)) !== null;

  it('when a resting limit order fills later on the book, then the placed signal turns filled with the real fill', async () => {
    const placed = await engine.run({
      symbol: 'BTCUSDT',
      action: 'buy',
      type: 'limit',
      price: 59_000,
      quantity: 0.001,
    });
    expect(placed.status).toBe('placed');
    expect(await onWatchList(placed.id)).toBe(true);

    fake.state.fillResting(clientIdOf(placed.id, 'open'), 58_995);
    const rec = await reaches(placed.id, 'filled');

    expect(rec.orders).toEqual([
      expect.objectContaining({ status: 'closed', filled: 0.001, average: 58_995, cost: 58.995 }),
    ]);
    expect(rec.notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^followed \\d\\d:\\d\\d UTC: order ${clientIdOf(placed.id, 'open')} filled 0.001 @ 58995$`,
        ),
      ),
    ]);
    await eventually(async () => ((await onWatchList(placed.id)) ? undefined : true));
  });

  it('when a resting order is partly filled and then canceled on the exchange, then the signal turns canceled and keeps the partial fill', async () => {
    const placed = await engine.run({
      symbol: 'BTCUSDT',
      action: 'buy',
      type: 'limit',
      price: 58_000,
      quantity: 0.002,
    });
    const open = clientIdOf(placed.id, 'open');
    fake.state.fillResting(open, 58_000, 0.0005);
    await eventually(async () =>
      (await engine.final(placed.id)).orders[0]?.filled === 0.0005 ? true : undefined,
    );
    expect((await engine.final(placed.id)).status).toBe('placed');

    fake.state.endResting(open, 'CANCELED');
    const rec = await reaches(placed.id, 'canceled');

    expect(rec.orders).toEqual([
      expect.objectContaining({ status: 'canceled', filled: 0.0005, average: 58_000 }),
    ]);
    expect(rec.notes?.at(-1)).toMatch(/canceled on the exchange, filled 0.0005 of 0.002 @ 58000$/);
  });

  it('when an order of unknown fate appears once the exchange answers again, then the failed signal is completed with the real fill', async () => {
    fake.failNext('createOrder', { dropResponseAfterProcessing: true });
    for (let i = 0; i < 60; i++) fake.failNext('queryOrder', { status: 503 });

    const id = await engine.send({ symbol: 'ETHUSDT', action: 'buy', quantity: 0.01 });
    const failed = await reaches(id, 'failed');
    expect(failed.error?.code).toBe('order_state_unknown');
    expect(await onWatchList(id)).toBe(true);
    await drain('/api/v3/order', { symbol: 'ETHUSDT' });

    const rec = await reaches(id, 'filled');
    expect(rec.error).toBeUndefined();
    expect(rec.orders).toEqual([
      expect.objectContaining({ clientOrderId: clientIdOf(id, 'open'), filled: 0.01 }),
    ]);
    expect(rec.notes?.at(-1)).toMatch(
      /^reconciled \d\d:\d\d UTC: order th[0-9a-f]{24}open found on the exchange, filled 0.01 @ 3000$/,
    );
    expect(createOrdersFor(fake, id)).toHaveLength(1);
  }, 20_000);

  it('when an order of unknown fate is still absent after its window, then the signal stays failed, marked order_not_placed', async () => {
    fake.failNext('createOrder', { status: 503 }); // answered 503: perhaps placed, perhaps not (here: not)
    for (let i = 0; i < 60; i++) fake.failNext('queryOrder', { status: 503 });

    const id = await engine.send({ symbol: 'ETHUSDT', action: 'sell', quantity: 0.01 });
    expect((await reaches(id, 'failed')).error?.code).toBe('order_state_unknown');
    await drain('/api/v3/order', { symbol: 'ETHUSDT' });

    const rec = await eventually(async () => {
      const r = await engine.final(id);
      return r.error?.code === 'order_not_placed' ? r : undefined;
    }, 8_000);
    expect(rec.status).toBe('failed');
    expect(rec.error?.message).toBe(
      `proven absent: the exchange never placed order ${clientIdOf(id, 'close')}; nothing to check by hand`,
    );
    expect(fake.state.orders.filter((o) => o.clientOrderId.startsWith(clientIdOf(id, '')))).toEqual([]);
  }, 20_000);

  /** Uses up the injected 503s of an operation by calling it directly, as if the exchange recovered. */
  async function drain(path: string, query: Record<string, string>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${fake.url}${path}?${new URLSearchParams(query)}`);
      if (res.status !== 503) return;
    }
  }
});
