import { type EffectivePause } from '../../../src/control/pause-state';
import { type ExecutionDeps } from '../../../src/execution/execution-deps';
import { OPEN, SIGNAL_ID, executionHarness } from '../../support/memory/execution-harness';

const PAUSED: EffectivePause = { since: Date.UTC(2025, 0, 2, 13), by: 'ops', hold: false, scope: 'account' };
const HELD: EffectivePause = { ...PAUSED, hold: true };

/** The shared harness, run with a kill switch whose reads are counted by account (`lookups`). */
function harness() {
  const h = executionHarness({}, { retry: { holdBaseDelayMs: 500, holdMaxDelayMs: 5_000 } });
  const lookups: string[] = [];
  const run = (pauseOf: ExecutionDeps['pauseOf']) =>
    h.run({
      pauseOf: pauseOf
        ? async (id) => {
            lookups.push(id);
            return pauseOf(id);
          }
        : undefined,
    });
  return { ...h, run, lookups };
}

describe('executeSignal: the kill switch', () => {
  it('when the account is paused, then the signal ends rejected with code paused and the exchange is not called at all', async () => {
    const h = harness();

    const outcome = await h.run(async () => PAUSED);

    expect(outcome).toEqual({
      status: 'rejected',
      error: {
        code: 'paused',
        message: expect.stringMatching(/account "main" is paused \(by ops since 2025-01-02T13:00:00.000Z\)/),
      },
    });
    expect(h.exchange.calls).toEqual([]);
    expect(h.history.record(SIGNAL_ID).status).toBe('rejected');
    expect(h.lookups).toEqual(['main']);
  });

  it('when every account is paused, then the reason says so', async () => {
    const h = harness();
    const outcome = await h.run(async () => ({ ...PAUSED, scope: 'all' }));
    expect(outcome.error?.message).toMatch(/^every account is paused/);
  });

  it('when the pause lands after planning but before the order, then no order is sent and the send is not left recorded', async () => {
    const h = harness();
    let reads = 0;

    const outcome = await h.run(async () => (++reads >= 2 ? PAUSED : undefined));

    expect(outcome).toMatchObject({ status: 'rejected', error: { code: 'paused' } });
    expect(h.exchange.callsOf('createOrder')).toEqual([]);
    expect(h.exchange.callsOf('markets')).toHaveLength(1); // it did plan
    // Read once at the start and once right before the order.
    expect(reads).toBe(2);
    const record = h.history.record(SIGNAL_ID);
    expect(record.progress.sent?.[OPEN]).toBeUndefined();
    expect(record.progress.orders).toEqual([]);
  });

  it('when a signal runs, then the switch is read with its start, without waiting for it, and after the record of its send is answered', async () => {
    const h = harness();
    const log: string[] = [];
    // Each write answers a turn of the event loop after it was issued, as Redis would.
    const answered = () => new Promise((resolve) => setImmediate(resolve));
    const { history } = h;
    const start = history.start.bind(history);
    history.start = async (signal) => {
      log.push('start');
      const result = await start(signal);
      await answered();
      log.push('start answered');
      return result;
    };
    const save = history.saveProgress.bind(history);
    history.saveProgress = async (id, progress) => {
      const what = progress.orders.length === 0 && progress.sent?.[OPEN] !== undefined ? 'send' : 'progress';
      log.push(`save ${what}${progress.steps ? ' with the plan' : ''}`);
      await save(id, progress);
      await answered();
      log.push(`save ${what} answered`);
    };

    const outcome = await h.run(async () => {
      log.push(`read switch (${h.exchange.callsOf('createOrder').length} orders sent)`);
      return undefined;
    });

    expect(outcome.status).toBe('filled');
    expect(log).toEqual([
      'start',
      'read switch (0 orders sent)',
      'start answered',
      // The plan is made durable with the send's record (nothing happens at the exchange in between); the
      // last read waits for that write's answer.
      'save send with the plan',
      'save send answered',
      'read switch (0 orders sent)',
      'save progress with the plan',
      'save progress answered',
    ]);
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
  });

  it('when the account is paused with hold and resumed 7 s later, then the signal waits, re-checking with backoff, and fills once', async () => {
    const h = harness();
    const resumeAt = h.clock.now() + 7_000;

    const outcome = await h.run(async () => (h.clock.now() < resumeAt ? HELD : undefined));

    expect(outcome.status).toBe('filled');
    expect(h.exchange.callsOf('createOrder')).toEqual([expect.objectContaining({ clientOrderId: OPEN })]);
    // The first order went out at the first re-check after the resume, not before it.
    expect(h.exchange.callsOf('createOrder')[0].at).toBeGreaterThanOrEqual(resumeAt);
    // Backoff between 250..500, 500..1000, 1000..2000, 2000..4000, then capped at 5000 (jittered halves).
    expect(h.clock.sleeps.length).toBeGreaterThanOrEqual(3);
    h.clock.sleeps.forEach((ms, i) => {
      const ceiling = Math.min(5_000, 500 * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
    expect(h.exchange.callsOf('markets')).toHaveLength(1); // planned only after the resume
  });

  it('when the account stays paused with hold, then the signal ends expired at its deadline, having sent nothing', async () => {
    const h = harness();

    const outcome = await h.run(async () => HELD);

    expect(outcome).toEqual({
      status: 'expired',
      error: {
        code: 'expired',
        message: expect.stringMatching(/^held until it expired: account "main" is paused/),
      },
    });
    expect(h.clock.now()).toBe(h.signal.receivedAt + 300_000);
    expect(h.exchange.calls).toEqual([]);
  });

  it('when the kill switch cannot be read, then nothing is sent until it can (it is never assumed off)', async () => {
    const h = harness();
    let reads = 0;

    const outcome = await h.run(async () => {
      reads += 1;
      if (reads <= 2) throw new Error('Connection is closed.');
      return undefined;
    });

    expect(outcome.status).toBe('filled');
    expect(h.clock.sleeps).toHaveLength(2);
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.exchange.callsOf('createOrder')[0].at).toBeGreaterThan(h.signal.receivedAt);
  });

  it('when no kill switch is wired, then signals run as before', async () => {
    const h = harness();
    expect((await h.run(undefined)).status).toBe('filled');
  });
});
