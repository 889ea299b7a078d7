import fc from 'fast-check';
import { SignalStore } from '../../../src/history/signal-store';
import { FINAL_STATUSES, type OrderRecord, type SignalStatus } from '../../../src/signals/signal-record';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { DAY_MS } from '../../../src/stats/stats-dimensions';
import { StatsQuery } from '../../../src/stats/stats-query';
import { type Increment, type StatsRecord, contributionOf } from './reference-contribution';
import { statsFixture } from './stats-scripted-run';

/**
 * The transition script computes a signal's statistics in Lua (src/stats/stats-lua.ts): they must be the
 * very numbers the JavaScript recorder computed before (reference-contribution.ts), for records of every shape.
 */
describe('statistics computed by the transition script', () => {
  const { keys, redis, now, store } = statsFixture('stats-parity');
  let n = 0;

  const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const text = fc.oneof(
    fc.constantFrom('', ' trend ', 'mean revert', 'a/b|c%d', 'ünïcödé', '🚀 moon'),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    // Around the 64 UTF-16 units a group is cut to.
    fc.string({ unit: fc.constantFrom('a', 'é', '€', '🚀', ' ', '%'), minLength: 55, maxLength: 75 }),
  );
  const order: fc.Arbitrary<OrderRecord> = fc.record(
    {
      leg: fc.constantFrom('open', 'close', 'tp', 'sl'),
      exchangeId: fc.constant('1'),
      clientOrderId: fc.constant('th1'),
      symbol: fc.constantFrom('BTC/USDT', 'BTC/USDT:USDT', 'ETH/BTC', 'BTCUSDT', '/X', 'A/B/C', 'A/:B'),
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      type: fc.constant('market'),
      amount: positive,
      filled: fc.oneof(fc.constant(0), positive),
      average: optional(fc.oneof(fc.constant(0), positive)),
      cost: optional(fc.oneof(fc.constant(0), positive)),
      fee: optional(
        fc.record({
          cost: fc.oneof(fc.constant(0), fc.double({ min: -1, max: 1, noNaN: true })),
          currency: fc.constantFrom('USDT', 'BNB', 'order', 'value'),
        }),
      ),
      status: fc.constant('closed'),
      sentAt: optional(fc.integer({ min: now - 120_000, max: now })),
      filledAt: optional(fc.integer({ min: now - 120_000, max: now + 86_400_000 })),
    },
    {
      requiredKeys: [
        'leg',
        'exchangeId',
        'clientOrderId',
        'symbol',
        'side',
        'type',
        'amount',
        'filled',
        'status',
      ],
    },
  );
  const run = fc.record({
    status: fc.constantFrom<SignalStatus>(...FINAL_STATUSES, 'processing'),
    account: text,
    symbol: fc.constantFrom('BTCUSDT', 'ETH/USDT', 'BTCUSDT.P'),
    comment: optional(text),
    metaStrategy: optional(text),
    timestamp: optional(fc.integer({ min: now - 3 * DAY_MS, max: now + 10_000 })),
    price: optional(fc.oneof(fc.constant(0), fc.constant(-1), positive)),
    receivedAt: fc.integer({ min: now - 3 * DAY_MS, max: now }),
    orders: fc.array(order, { maxLength: 4 }),
  });

  /** What the JavaScript recorder read of a record (as it did: from Redis, after the change). */
  async function reference(signalId: string): Promise<Increment[] | 'throws'> {
    const fields = ['status', 'account', 'symbol', 'receivedAt', 'alert', 'orders'] as const;
    const [status, account, symbol, receivedAt, alert, orders] = await redis.hmget(
      keys.signal(signalId),
      ...fields,
    );
    const record: StatsRecord = {
      status: status as SignalStatus,
      account: account ?? '',
      symbol: symbol ?? '',
      alert: JSON.parse(alert ?? '{}') as StatsRecord['alert'],
      receivedAt: Number(receivedAt),
      orders: orders ? (JSON.parse(orders) as OrderRecord[]) : [],
    };
    try {
      return contributionOf(record);
    } catch {
      return 'throws'; // a group cut inside a surrogate pair: see the test below
    }
  }

  /** The contribution the script stored, as increments. */
  async function stored(signal: SignalEnvelope): Promise<Increment[]> {
    const day = Math.floor(signal.receivedAt / DAY_MS) * DAY_MS;
    const raw = await redis.hget(`${keys.stats}:c:${day}`, signal.id);
    if (!raw) return [];
    const { g, m } = JSON.parse(raw) as { g: string[]; m: Array<[string, number, 0 | 1]> };
    return m.flatMap(([measure, amount, fractional]) =>
      g.flatMap((group, d): Increment[] =>
        d === 3 && group === '' ? [] : [[d, `${group}|${measure}`, amount, fractional]],
      ),
    );
  }

  const sorted = (list: Increment[]) =>
    [...list].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

  type Run = typeof run extends fc.Arbitrary<infer T> ? T : never;
  const plain: Run = {
    status: 'done',
    account: 'plain',
    symbol: 'BTCUSDT',
    comment: undefined,
    metaStrategy: undefined,
    timestamp: undefined,
    price: 100,
    receivedAt: now - 60_000,
    orders: [],
  };

  async function end(r: Run, into: SignalStore): Promise<SignalEnvelope> {
    const signal: SignalEnvelope = {
      id: `sig_${(++n).toString(16).padStart(24, '0')}`,
      auth: 'token',
      requestId: `r${n}`,
      receivedAt: r.receivedAt,
      alert: {
        account: r.account,
        symbol: r.symbol,
        action: 'buy',
        quantity: 1,
        quantityType: 'base',
        orderType: 'market',
        ...(r.comment !== undefined ? { comment: r.comment } : {}),
        ...(r.metaStrategy !== undefined ? { meta: { strategy: r.metaStrategy } } : {}),
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
        ...(r.price !== undefined ? { price: r.price } : {}),
      },
    };
    await into.recordQueued(signal, r.receivedAt);
    await into.start(signal, r.receivedAt + 1);
    const ended = await into.finish(signal.id, {
      status: r.status,
      finishedAt: r.receivedAt + 2,
      progress: { stepsDone: 1, orders: r.orders, calls: [] },
    });
    expect(ended).toBe(true);
    return signal;
  }

  it('when records of every shape end, then the script stores exactly the contribution the JavaScript recorder computed', async () => {
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        const signal = await end(r, store);
        const expected = await reference(signal.id);
        fc.pre(expected !== 'throws');
        expect(sorted(await stored(signal))).toEqual(sorted(expected as Increment[]));
      }),
      { numRuns: 300 },
    );
  });

  it('when a long strategy name would be cut inside a surrogate pair, then the signal counts under the name cut before it', async () => {
    // The JavaScript recorder failed on such a signal (encodeURIComponent of a lone surrogate) and left it
    // out of the statistics; the script counts it.
    const strategy = `${'s'.repeat(63)}🚀tail`;
    const signal = await end({ ...plain, comment: strategy }, store);

    expect(await reference(signal.id)).toBe('throws');
    expect(await stored(signal)).toContainEqual([3, `${'s'.repeat(63)}|n:done`, 1, 0]);
  });

  it('when a signal the JavaScript recorder counted changes again, then its old contribution is replaced, not added to', async () => {
    const signal = await end({ ...plain, account: 'upgraded', status: 'placed' }, store);
    const day = Math.floor(signal.receivedAt / DAY_MS) * DAY_MS;
    await redis.hset(`${keys.stats}:c:${day}`, signal.id, JSON.stringify(await reference(signal.id)));

    await store.update(signal.id, {
      from: 'placed',
      to: 'canceled',
      progress: { stepsDone: 1, orders: [], calls: [] },
      finishedAt: now,
    });

    const summary = await new StatsQuery(redis, keys).summary({
      since: now - 4 * DAY_MS,
      until: now + 60_000,
      account: 'upgraded',
      now,
    });
    expect(summary.counts).toEqual({ canceled: 1 });
  });

  it('when the statistics cannot be computed, then the status change still takes effect and the failure is logged', async () => {
    const warn = jest.fn();
    const logged = new SignalStore(redis, keys, 30, { now: () => now, logger: { warn } });
    const signal = await end({ ...plain, status: 'processing' }, logged);
    await redis.hset(keys.signal(signal.id), 'alert', '{not json');

    const failed = await logged.failIfOpen(signal.id, { code: 'x', message: 'y' }, now);

    expect(failed).toBe(true);
    expect(await redis.hget(keys.signal(signal.id), 'status')).toBe('failed');
    expect(warn).toHaveBeenCalledWith(
      'statistics not updated',
      expect.objectContaining({ signalId: signal.id, status: 'failed' }),
    );
  });
});
