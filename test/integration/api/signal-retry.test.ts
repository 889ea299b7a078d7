import request from 'supertest';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { seedSignal } from '../../support/seed-signal';
import {
  type Engine,
  FAST_TUNING,
  clientIdOf,
  createOrdersFor,
  settle,
  startEngine,
} from '../engine/behaviour/engine-harness';

const fake = new FakeBinance('binance');
let engine: Engine;
let trader: string;

/** Orders the fake HOLDS for a signal (what the account really has). */
const storedOrders = (signalId: string) =>
  fake.state.orders.filter((o) => o.clientOrderId.startsWith(clientIdOf(signalId, '')));

beforeAll(async () => {
  engine = await startEngine('signal-retry', [fake], ([f]) => [makeCcxtAccount(f, { id: 'bn' })], {
    // The order watch must not settle the failed signal before the test retries it.
    tuning: { ...FAST_TUNING, watch: { firstCheckDelayMs: 600_000 } },
  });
  trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader')).key;
});
afterAll(() => engine.close());

const retry = (id: string) =>
  request(engine.app.url).post(`/api/v1/signals/${id}/retry`).set('authorization', `Bearer ${trader}`);

describe('POST /api/v1/signals/:id/retry', () => {
  it('when a signal failed after its order was placed, then the retry adopts that order: exactly one order on the exchange', async () => {
    // The order is placed but its answer is lost, and the lookup after it is refused: the run fails
    // permanently while the exchange holds the filled order.
    fake.failNext('createOrder', { dropResponseAfterProcessing: true });
    fake.failNext('queryOrder', {
      status: 400,
      binanceCode: -1022,
      msg: 'Signature for this request is not valid.',
    });
    const failed = await engine.run({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.001, price: 60000 });
    expect(failed.status).toBe('failed');
    expect(storedOrders(failed.id)).toHaveLength(1);
    expect(await engine.app.redis.zscore(`${engine.app.prefix}:dead-letter`, failed.id)).not.toBeNull();

    const res = await retry(failed.id).expect(202);
    expect(res.body).toEqual({ id: failed.id, status: 'queued' });

    const done = await engine.final(failed.id);
    expect(done.status).toBe('filled');
    expect(done.attempts).toBe(2);
    expect(done.orders).toEqual([
      expect.objectContaining({ exchangeId: String(storedOrders(failed.id)[0].orderId), status: 'closed' }),
    ]);
    await settle();
    expect(createOrdersFor(fake, failed.id)).toHaveLength(1);
    expect(storedOrders(failed.id)).toHaveLength(1);
    expect(await engine.app.redis.zscore(`${engine.app.prefix}:dead-letter`, failed.id)).toBeNull();
    expect(engine.app.logs.lines.some((l) => l.includes(failed.id) && l.includes('order adopted'))).toBe(
      true,
    );
  }, 20_000);

  it('when a signal expired long ago, then the retry runs it now instead of expiring it again', async () => {
    const id = await seedSignal(engine.app.redis, engine.app.prefix, 'expired', {
      now: Date.now() - 3_600_000,
      alert: { account: 'bn', symbol: 'ETHUSDT', quantity: 0.01, price: 3000 },
    });
    await retry(id).expect(202);
    const done = await engine.final(id);
    expect(done.status).toBe('filled');
    expect(createOrdersFor(fake, id)).toHaveLength(1);
  });

  it('when two retries race, then exactly one is queued and the other answers 409', async () => {
    const id = await seedSignal(engine.app.redis, engine.app.prefix, 'failed', {
      alert: { account: 'bn', symbol: 'BTCUSDT', quantity: 0.001, price: 60000 },
    });
    const answers = await Promise.all([retry(id), retry(id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    await engine.final(id);
    await settle();
    expect(createOrdersFor(fake, id)).toHaveLength(1);
  });

  it.each(['filled', 'queued', 'rejected'] as const)(
    'when the signal is %s, then 409 conflict names its status and nothing is queued',
    async (status) => {
      const id = await seedSignal(engine.app.redis, engine.app.prefix, status);
      const res = await retry(id).expect(409);
      expect(res.body).toEqual({
        error: 'conflict',
        message: `signal ${id} is ${status}; only failed or expired signals can be retried`,
      });
    },
  );

  it('when the signal does not exist, then 404 not_found', async () => {
    await retry('sig_00000000000000000000dead').expect(404);
  });
});
