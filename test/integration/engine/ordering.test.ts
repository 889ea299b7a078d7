import { loadConfig } from '../../../src/config/config';
import { type WorkerProcess, startWorker } from '../../../src/main/worker-process';
import { partitionOf } from '../../../src/queue/partitions';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { captureLogs } from '../../support/log-capture';
import { REDIS_URL } from '../../support/test-redis';
import { type Engine, FAST_TUNING, TOKEN, startEngine } from './behaviour/engine-harness';

/** An account id whose BTCUSDT and ETHUSDT land in different partitions, so that they may run in parallel. */
function accountWithSplitPartitions(): string {
  for (let i = 0; ; i++) {
    const id = `ord${i}`;
    if (partitionOf(id, 'BTCUSDT') !== partitionOf(id, 'ETHUSDT')) return id;
  }
}

describe('strict per-symbol order across two worker processes', () => {
  const fake = new FakeBinance('binance');
  const accountId = accountWithSplitPartitions();
  let engine: Engine;
  let second: WorkerProcess;
  const secondLogs = captureLogs();

  beforeAll(async () => {
    await fake.start();
    const accounts = [makeCcxtAccount(fake, { id: accountId })];
    engine = await startEngine('ordering', [fake], () => accounts);
    // A second, independent worker on the same queues (its own Redis connections and sessions).
    const config = loadConfig({
      REDIS_URL,
      QUEUE_PREFIX: engine.app.prefix,
      WEBHOOK_TOKENS: TOKEN,
      ACCOUNTS: JSON.stringify(accounts),
    });
    second = await startWorker(config, secondLogs.logger, FAST_TUNING);
  });
  afterAll(async () => {
    await second.close();
    await engine.close();
  });

  it('when the first signal keeps failing transiently, then no later one for the symbol overtakes it, while another symbol runs meanwhile', async () => {
    // The first order attempt for BTCUSDT fails slowly: it must be retried while the others wait. (One
    // failure only: injected failures are not per symbol, and ETHUSDT's order runs at the same time.)
    fake.failNext('createOrder', { status: 503, delayMs: 500 });

    const btc: string[] = [];
    for (let i = 0; i < 5; i++)
      btc.push(await engine.send({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 }));
    const eth = await engine.send({ symbol: 'ETHUSDT', action: 'buy', quantity: 0.01 });

    const records = [];
    for (const id of btc) records.push(await engine.final(id, 15_000));
    const ethRecord = await engine.final(eth, 15_000);

    expect(records.map((r) => r.status)).toEqual(['filled', 'filled', 'filled', 'filled', 'filled']);
    expect(records[0].raw.calls).toContain('createOrder');

    // What the exchange saw for BTCUSDT: every attempt of signal k before any attempt of signal k+1.
    const clientIds = btc.map((id) => `th${id.slice(4)}`);
    const sequence = fake
      .requestsFor('createOrder')
      .filter((r) => r.params.symbol === 'BTCUSDT')
      .map((r) => clientIds.findIndex((prefix) => String(r.params.newClientOrderId).startsWith(prefix)))
      .filter((k) => k >= 0); // only this test's signals: the other test may have run first
    expect(sequence).toEqual([0, 0, 1, 2, 3, 4]);

    // Each signal started only after the previous one had finished.
    for (let k = 1; k < records.length; k++) {
      expect(Number(records[k].raw.startedAt)).toBeGreaterThanOrEqual(Number(records[k - 1].raw.finishedAt));
    }
    // The other symbol was not held up by BTCUSDT's retries.
    expect(Number(ethRecord.raw.finishedAt)).toBeLessThan(Number(records[0].raw.finishedAt));
  }, 30_000);

  it('when many signals for one symbol arrive at once and the worker running them stops midway, then the other worker carries on in arrival order, each exactly once', async () => {
    // Slow orders, so that the first worker is still busy when it is told to stop.
    fake.delay('createOrder', 100);
    const ids: string[] = [];
    try {
      for (let i = 0; i < 12; i++)
        ids.push(await engine.send({ symbol: 'BTCUSDT', action: i % 2 ? 'sell' : 'buy', quantity: 0.001 }));
      // Hand over: whichever worker holds the partition now, stop the first one gracefully. If it held it,
      // the second must take the rest after the first finishes its current signal; either way the second
      // is the only worker left, so it runs the remaining signals.
      await engine.final(ids[1], 15_000);
      await engine.app.worker?.close();
      for (const id of ids) expect((await engine.final(id, 15_000)).status).toBe('filled');
    } finally {
      fake.delay('createOrder', 0);
    }
    const clientIds = ids.map((id) => `th${id.slice(4)}`);
    const seen = fake
      .requestsFor('createOrder')
      .map((r) => clientIds.findIndex((prefix) => String(r.params.newClientOrderId).startsWith(prefix)))
      .filter((k) => k >= 0);
    expect(seen).toEqual(ids.map((_, k) => k));
    expect(secondLogs.text()).toContain('"message":"signal started"');
  }, 30_000);
});
