import { type Alert } from '../../../src/signals/alert';
import { OPEN, SIGNAL_ID, executionHarness } from '../../support/memory/execution-harness';

/** A market buy of 0.01 BTC at 60,000, received now; retries for 600 s after a send. */
function harness(alert: Partial<Alert> = {}, options: { maxAgeSeconds?: number } = {}) {
  return executionHarness(alert, { ...options, retry: { afterFirstOrderMs: 600_000 } });
}

describe('executeSignal: an order is placed at most once, and its fate is never guessed', () => {
  it('when createOrder fails ambiguously and the lookup fails too, then progress records the order as unresolved, with its send time, before anything else', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'timeout' }).failFind(Infinity);
    const sentAt = h.clock.now();

    await h.run();

    const saves = h.history.record(SIGNAL_ID).saves;
    const firstUnresolved = saves.find((p) => p.unresolved);
    // The call timed out after 300 ms; the failed lookup came right then.
    expect(firstUnresolved?.unresolved).toEqual({ clientOrderId: OPEN, sentAt, since: sentAt + 300 });
    // The send itself was saved before the request left.
    const sendSaved = saves.findIndex((p) => p.sent?.[OPEN] === sentAt);
    expect(sendSaved).toBeGreaterThanOrEqual(0);
    expect(sendSaved).toBeLessThan(saves.indexOf(firstUnresolved!));
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
  });

  it('when the lookup keeps failing until the deadline, then the signal ends failed with order_state_unknown and is handed to the order watch; it never resends', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const sentAt = h.clock.now();

    const outcome = await h.run({ watchDelayMs: 5_000 });

    expect(outcome).toEqual({
      status: 'failed',
      error: {
        code: 'order_state_unknown',
        message: expect.stringContaining(`order ${OPEN} may be live`),
      },
    });
    const record = h.history.record(SIGNAL_ID);
    expect(record.progress.unresolved).toMatchObject({ clientOrderId: OPEN, sentAt });
    expect(record.outcome?.watch).toEqual({ firstCheckAt: h.clock.now() + 5_000 });
    // It kept looking until 600 s after the send, and gave up only then.
    expect(h.clock.now()).toBeGreaterThan(sentAt + 590_000);
    expect(h.clock.now()).toBeLessThanOrEqual(sentAt + 600_000);
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.exchange.callsOf('findOrder').length).toBeGreaterThan(10);
  });

  it('when the signal passes its expiry while the order fate is unknown, then it keeps looking, never ends expired, and adopts the order once the lookup answers', async () => {
    const h = harness({}, { maxAgeSeconds: 5 });
    h.exchange.failCreate({ kind: 'lost' }).failFind(Infinity);
    const expiry = h.signal.receivedAt + 5_000;
    h.clock.onSleep = (now) => {
      if (now > expiry + 30_000) h.exchange.failFind(0); // the exchange answers again, long after expiry
    };

    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    const record = h.history.record(SIGNAL_ID);
    expect(record.progress.orders).toEqual([
      expect.objectContaining({ clientOrderId: OPEN, filled: 0.01, status: 'closed' }),
    ]);
    expect(record.progress.unresolved).toBeUndefined();
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.exchange.orders.size).toBe(1);
  });

  it('when the signal has expired and a lookup then proves the order absent, then it ends expired without sending', async () => {
    const h = harness({}, { maxAgeSeconds: 5 });
    h.exchange.failCreate({ kind: 'timeout' }).failFind(Infinity);
    h.clock.onSleep = (now) => {
      if (now > h.signal.receivedAt + 20_000) h.exchange.failFind(0);
    };

    const outcome = await h.run();

    expect(outcome.status).toBe('expired');
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.exchange.orders.size).toBe(0);
  });

  it('when a crashed run left an order of unknown fate, then the re-run looks it up and adopts it instead of sending it again', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'lost' }).failFind(1);
    // The first run dies while waiting out the failed lookup (shutdown parks the job)…
    const shutdown = new AbortController();
    h.clock.onSleep = () => shutdown.abort();
    await expect(h.run({ shutdown: shutdown.signal })).rejects.toMatchObject({ name: 'ShutdownInterrupt' });
    expect(h.history.record(SIGNAL_ID).progress.unresolved).toMatchObject({ clientOrderId: OPEN });
    h.clock.onSleep = undefined;

    // …and another worker runs it again.
    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    expect(h.history.record(SIGNAL_ID).attempts).toBe(2);
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.history.record(SIGNAL_ID).progress.orders).toEqual([
      expect.objectContaining({ clientOrderId: OPEN, status: 'closed' }),
    ]);
  });

  it('when the exchange executes the request late, after the timeout but inside its receive window, then the order is adopted, never sent twice', async () => {
    const h = harness();
    h.exchange.orderAcceptWindowMs = 1_300;
    // The call times out after 300 ms; the exchange executes the request 700 ms after it was sent.
    h.exchange.failCreate({ kind: 'late', afterMs: 700 });
    const sentAt = h.clock.now();

    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    expect(h.exchange.callsOf('createOrder')).toHaveLength(1);
    expect(h.exchange.orders.size).toBe(1);
    // The first lookup found nothing; the next came once the window had passed, and found the order.
    const lookups = h.exchange.callsOf('findOrder').map((c) => c.at - sentAt);
    expect(lookups).toEqual([300, 1_300]);
  });

  it('when a lookup proves the order absent after its window, then it is sent again, and only then', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'timeout' });
    const sentAt = h.clock.now();

    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    const sends = h.exchange.callsOf('createOrder');
    expect(sends).toHaveLength(2);
    expect(sends[1].sentAt! - sentAt).toBeGreaterThanOrEqual(1_300);
    expect(h.exchange.orders.size).toBe(1);
  });

  it('when createOrder is refused before anything was sent (breaker open), then no lookup is needed before trying again', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'circuitOpen' }).failCreate({ kind: 'notSent' });

    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    // Tries 2 and 3 are by the same run, after a send was recorded: each looks first (the rule), but none waits.
    expect(h.exchange.callsOf('createOrder')).toHaveLength(3);
    expect(h.clock.sleeps.every((ms) => ms <= 10_000)).toBe(true);
    expect(h.clock.sleeps).toHaveLength(2);
  });

  it('when the exchange refuses a duplicate client id, then the order with that id is looked up and adopted', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'lost' }).failCreate({ kind: 'duplicate' });
    h.exchange.failFind(1);
    h.exchange.orderAcceptWindowMs = 0;

    const outcome = await h.run();

    expect(outcome).toEqual({ status: 'filled' });
    expect(h.exchange.orders.size).toBe(1);
  });

  it("when a market order fills away from the alert's price, then the record keeps the slippage in percent", async () => {
    const h = harness({ action: 'sell' });
    h.exchange.price = 59_700; // the alert said 60,000: a sale 0.5 % worse

    await h.run();

    expect(h.history.record(SIGNAL_ID).progress.orders).toEqual([
      expect.objectContaining({ side: 'sell', average: 59_700, slippage: 0.5 }),
    ]);
  });

  it('when the exchange refuses the order for good (insufficient funds), then the signal fails at once without a lookup', async () => {
    const h = harness();
    h.exchange.failCreate({ kind: 'refused' });

    const outcome = await h.run();

    expect(outcome).toEqual({
      status: 'failed',
      error: {
        code: 'insufficient_funds',
        message: 'Account has insufficient balance for requested action.',
      },
    });
    expect(h.exchange.callsOf('findOrder')).toEqual([]);
  });

  it('when a record already has a final status (BullMQ ran a finished job again), then nothing is done and that status is returned', async () => {
    const h = harness();
    await h.run();
    const calls = h.exchange.calls.length;

    const again = await h.run();

    expect(again).toEqual({ status: 'filled' });
    expect(h.exchange.calls.length).toBe(calls);
    expect(h.history.record(SIGNAL_ID).attempts).toBe(1);
  });
});
