import { type SignalEnvelope } from '../../../src/signals/signal';
import { StatsQuery } from '../../../src/stats/stats-query';
import { statsFixture } from './stats-scripted-run';

/**
 * A status change and its statistics are one script: the worker's drain pays one Redis round trip per
 * change, and no crash can fall between the change and its statistics.
 */
describe('statistics in the status change', () => {
  const { keys, redis, now, store } = statsFixture('stats-round-trip');
  const query = new StatsQuery(redis, keys);
  let n = 0;

  const signal = (account = 'rt'): SignalEnvelope => ({
    id: `sig_${(++n).toString(16).padStart(24, '0')}`,
    auth: 'token',
    requestId: `r${n}`,
    receivedAt: now - 60_000,
    alert: {
      account,
      symbol: 'BTCUSDT',
      action: 'buy',
      orderType: 'limit',
      quantity: 1,
      quantityType: 'base',
    },
  });
  const order = {
    leg: 'open',
    exchangeId: '1',
    clientOrderId: 'th1',
    symbol: 'BTC/USDT',
    side: 'buy' as const,
  };
  const resting = { ...order, type: 'limit', amount: 1, filled: 0, status: 'open', sentAt: now - 59_000 };
  const filled = { ...resting, filled: 1, average: 100, cost: 100, status: 'closed', filledAt: now - 30_000 };

  /** The Redis commands `step` sends (each awaited alone: one command, one round trip). */
  async function commandsOf(step: () => Promise<unknown>): Promise<string[]> {
    const sent = jest.spyOn(redis, 'sendCommand');
    try {
      await step();
      return sent.mock.calls.map(([command]) => command.name);
    } finally {
      sent.mockRestore();
    }
  }

  beforeAll(async () => {
    // Loads the script into Redis's cache, so that no NOSCRIPT fallback (EVAL after EVALSHA) is counted.
    const warm = signal('warm-up');
    await store.recordQueued(warm, warm.receivedAt);
    await store.start(warm, warm.receivedAt + 1);
    await store.finish(warm.id, {
      status: 'done',
      finishedAt: now,
      progress: { stepsDone: 1, orders: [], calls: [] },
    });
  });

  it('when a run ends placed and the order watch settles it filled, then each change is one EVALSHA and the statistics follow', async () => {
    const s = signal();
    await store.recordQueued(s, s.receivedAt);
    await store.start(s, s.receivedAt + 10);

    const finish = await commandsOf(() =>
      store.finish(s.id, {
        status: 'placed',
        finishedAt: now - 58_000,
        progress: { stepsDone: 1, orders: [resting], calls: [] },
        watch: { firstCheckAt: now },
      }),
    );
    const summary = () => query.summary({ since: now - 3_600_000, until: now + 60_000, account: 'rt', now });
    expect(finish).toEqual(['evalsha']);
    expect((await summary()).counts).toEqual({ placed: 1 });

    const update = await commandsOf(() =>
      store.update(s.id, {
        from: 'placed',
        to: 'filled',
        progress: { stepsDone: 1, orders: [filled], calls: [] },
        finishedAt: now - 30_000,
      }),
    );
    expect(update).toEqual(['evalsha']);
    expect(await summary()).toMatchObject({
      counts: { filled: 1 },
      total: 1,
      fills: 1,
      volume: { USDT: 100 },
    });
  });
});
