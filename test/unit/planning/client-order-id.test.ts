import { clientOrderId } from '../../../src/execution/planning/client-order-id';
import { signalIdFromNonce } from '../../../src/signals/signal-id';

const FORMAT = /^[A-Za-z0-9]{1,32}$/;

describe('clientOrderId', () => {
  it('when a signal id from intake and a leg are given, then the id is th + its 24 hex digits + the leg', () => {
    const signalId = signalIdFromNonce('webhook-id-1');
    const id = clientOrderId(signalId, 'open');
    expect(id).toBe(`th${signalId.slice(4)}open`);
    expect(id).toMatch(FORMAT);
  });

  it.each(['open', 'close', 'tp', 'sl'])(
    'when the leg is %s, then the id fits every exchange (≤ 32 chars of [A-Za-z0-9])',
    (leg) => {
      for (let i = 0; i < 50; i++) {
        expect(clientOrderId(signalIdFromNonce(`nonce-${i}`), leg)).toMatch(FORMAT);
      }
    },
  );

  it('when the same signal and leg are given twice, then the id is the same (a re-run adopts the order)', () => {
    const signalId = signalIdFromNonce('abc');
    expect(clientOrderId(signalId, 'close')).toBe(clientOrderId(signalId, 'close'));
  });

  it('when the legs differ, then the ids differ', () => {
    const signalId = signalIdFromNonce('abc');
    const ids = ['open', 'close', 'tp', 'sl'].map((leg) => clientOrderId(signalId, leg));
    expect(new Set(ids).size).toBe(4);
  });

  it('when the signals differ, then the ids differ', () => {
    expect(clientOrderId(signalIdFromNonce('a'), 'open')).not.toBe(
      clientOrderId(signalIdFromNonce('b'), 'open'),
    );
  });

  it('when a signal id is too long or not alphanumeric, then a deterministic hash keeps the id valid', () => {
    const long = 'sig_' + 'f'.repeat(40);
    const id = clientOrderId(long, 'close');
    expect(id).toMatch(FORMAT);
    expect(id).toHaveLength(2 + 24 + 5);
    expect(clientOrderId(long, 'close')).toBe(id);
    // Two ids that differ only in punctuation must not collide.
    expect(clientOrderId('a-b', 'open')).not.toBe(clientOrderId('ab', 'open'));
    expect(clientOrderId('a-b', 'open')).toMatch(FORMAT);
  });

  it.each(['', 'toolong', 'o-p', 'tp 1'])(
    'when the leg is "%s", then it throws (a programming error)',
    (leg) => {
      expect(() => clientOrderId(signalIdFromNonce('x'), leg)).toThrow(/leg/);
    },
  );
});
