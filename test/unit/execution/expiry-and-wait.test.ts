import { expiresAt, expiryReason } from '../../../src/execution/expiry';
import { sleep } from '../../../src/util/clock';
import { backoffMs } from '../../../src/util/backoff';
import { type SignalEnvelope } from '../../../src/signals/signal';

const signal = (alert: Partial<SignalEnvelope['alert']> = {}, receivedAt = 1_000_000): SignalEnvelope => ({
  id: 'sig_0123456789abcdef01234567',
  auth: 'token',
  requestId: 'r',
  receivedAt,
  alert: { account: 'default', symbol: 'BTCUSDT', orderType: 'market', quantityType: 'base', ...alert },
});

describe('expiry', () => {
  it('when a signal is older than SIGNAL_MAX_AGE_SECONDS, then it is expired with the reason', () => {
    expect(expiryReason(signal(), 1_000_000 + 301_000, 300)).toMatch(/SIGNAL_MAX_AGE_SECONDS \(300\)/);
    expect(expiryReason(signal(), 1_000_000 + 299_000, 300)).toBeUndefined();
  });

  it('when maxLagSeconds is exceeded since the alert timestamp, then it is expired even if recently received', () => {
    const s = signal({ maxLagSeconds: 10, timestamp: 1_000_000 - 20_000 });
    expect(expiryReason(s, 1_000_000, 300)).toMatch(/maxLagSeconds \(10\)/);
  });

  it('when maxLagSeconds has no timestamp to count from, then it counts from receipt', () => {
    expect(expiryReason(signal({ maxLagSeconds: 10 }), 1_000_000 + 9_000, 300)).toBeUndefined();
    expect(expiryReason(signal({ maxLagSeconds: 10 }), 1_000_000 + 11_000, 300)).toBeDefined();
  });

  it('when computing the deadline, then the earlier limit wins', () => {
    expect(expiresAt(signal(), 300)).toBe(1_000_000 + 300_000);
    expect(expiresAt(signal({ maxLagSeconds: 10, timestamp: 999_000 }), 300)).toBe(999_000 + 10_000);
  });
});

describe('backoff and sleep', () => {
  it('when retrying, then delays grow exponentially up to the cap, with jitter between half and all of it', () => {
    expect(backoffMs(1, 500, 15_000, () => 0)).toBe(250);
    expect(backoffMs(1, 500, 15_000, () => 1)).toBe(500);
    expect(backoffMs(3, 500, 15_000, () => 1)).toBe(2000);
    expect(backoffMs(20, 500, 15_000, () => 1)).toBe(15_000);
  });

  it('when the shutdown signal aborts, then a sleep rejects at once with ShutdownInterrupt', async () => {
    jest.useFakeTimers();
    try {
      const controller = new AbortController();
      const pending = sleep(10_000, controller.signal);
      controller.abort();
      // No timer is advanced: only the abort can settle it.
      await expect(pending).rejects.toMatchObject({ name: 'ShutdownInterrupt' });
      expect(jest.getTimerCount()).toBe(0); // and its timer is cleared, not left to fire later
    } finally {
      jest.useRealTimers();
    }
  });
});
