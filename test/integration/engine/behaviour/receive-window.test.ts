import { FakeBinance, makeCcxtAccount } from '../../../support/fake-exchange';
import { eventually } from '../../../support/test-app';
import { type Engine, clientIdOf, createOrdersFor, startEngine } from './engine-harness';

/**
 * An order request the exchange executes LATE — after tradehook's call timed out — must never become a
 * second order (docs/contract.md "Execution"). The engine's call timeout here is 1 s (FAST_TUNING), which
 * is also the receive window it sets; Binance accepts timestamps up to 1 s ahead of its clock.
 */
describe('engine: requests the exchange executes late', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-window', [fake], ([f]) => [
      // The user asks for Binance's 10 s recvWindow; the engine caps it at the call's timeout.
      makeCcxtAccount(f, { id: 'bn', ccxt: { options: { recvWindow: 10_000 } } }),
    ]);
  });
  afterAll(() => engine.close());
  afterEach(() => {
    fake.clockOffsetMs = 0;
  });

  const stored = (signalId: string) =>
    fake.state.orders.filter((o) => o.clientOrderId.startsWith(clientIdOf(signalId, '')));

  it("when Binance executes an order after the call timed out but inside the request's receive window, then exactly one order exists and it is adopted", async () => {
    // Binance's clock runs 900 ms behind ours (it accepts timestamps up to 1 s ahead). It executes the order
    // when its clock reads 900 ms after the request's timestamp — inside the 1 s window — which on our clock
    // is 1.8 s after the send: long after the call's 1 s timeout, before the window plus tolerance (2 s).
    fake.clockOffsetMs = -900;
    fake.failNext('createOrder', { holdUntilSignedPlusMs: 900 });

    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 }, 15_000);

    expect(rec.status).toBe('filled');
    expect(stored(rec.id)).toEqual([expect.objectContaining({ status: 'FILLED', quantity: 0.001 })]);
    expect(createOrdersFor(fake, rec.id)).toHaveLength(1);
    expect(rec.orders).toEqual([
      expect.objectContaining({ exchangeId: String(stored(rec.id)[0].orderId), filled: 0.001 }),
    ]);
    const lines = engine.app.logs.lines.filter((l) => l.includes(rec.id));
    expect(
      lines.some((l) => l.includes('order not found yet; looking again once its receive window has passed')),
    ).toBe(true);
    expect(lines.some((l) => l.includes('"message":"order adopted"'))).toBe(true);
  });

  it('when Binance gets to an order only after its receive window, then its matching engine refuses it and the order is sent again once — one order', async () => {
    fake.failNext('createOrder', { delayMs: 2_500 });
    const refusedBefore = fake.refused.length;

    const rec = await engine.run({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.002 }, 15_000);

    expect(rec.status).toBe('filled');
    const sends = createOrdersFor(fake, rec.id);
    expect(sends).toHaveLength(2);
    // The window the engine asked for is its call timeout, not the 10 s the account configured.
    expect(sends.map((r) => r.params.recvWindow)).toEqual(['1000', '1000']);
    // The first request, still inside the exchange, reaches its matching engine at 2.5 s: refused.
    await eventually(async () => (fake.refused.length > refusedBefore ? true : undefined));
    expect(fake.refused.slice(refusedBefore)).toEqual([
      expect.objectContaining({ operation: 'createOrder', stage: 'execution' }),
    ]);
    expect(stored(rec.id)).toEqual([expect.objectContaining({ status: 'FILLED', quantity: 0.002 })]);
    // The resend reached the exchange only once the first request could no longer be accepted: after its
    // signed timestamp plus the 1 s window plus Binance's 1 s clock tolerance. (Measured from the signed
    // timestamp, not from when the fake saw the first request: that can be a few ms later on a busy machine.)
    const signedAt = Number(sends[0].params.timestamp);
    expect(signedAt).toBeLessThanOrEqual(sends[0].at);
    expect(sends[1].at - signedAt).toBeGreaterThanOrEqual(2_000);
  });
});
