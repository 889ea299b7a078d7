import { resolveIntent } from '../../../src/execution/planning/signal-intent';
import { type Alert } from '../../../src/signals/alert';

const alert = (fields: Partial<Alert>): Alert => ({
  account: 'main',
  symbol: 'BTCUSDT',
  orderType: 'market',
  quantityType: 'base',
  ...fields,
});

const intentOf = (fields: Partial<Alert>) => {
  const r = resolveIntent(alert(fields));
  return r.ok ? r.intent : r.code;
};

describe('resolveIntent', () => {
  describe('when an action comes alone', () => {
    it.each([
      [{ action: 'buy' }, { kind: 'order', side: 'buy' }],
      [{ action: 'sell' }, { kind: 'order', side: 'sell' }],
      [
        { action: 'buy', reduceOnly: true },
        { kind: 'reduce', direction: 'short' },
      ],
      [
        { action: 'sell', reduceOnly: true },
        { kind: 'reduce', direction: 'long' },
      ],
      [{ action: 'long' }, { kind: 'enter', direction: 'long' }],
      [{ action: 'short' }, { kind: 'enter', direction: 'short' }],
      [{ action: 'close' }, { kind: 'close', partial: false }],
      [
        { action: 'close', quantity: 1 },
        { kind: 'close', partial: true },
      ],
      [{ action: 'reverse' }, { kind: 'reverse' }],
      [{ action: 'cancel' }, { kind: 'cancel' }],
    ] as const)('when %j, then the intent is %j', (fields, expected) => {
      expect(intentOf(fields as Partial<Alert>)).toEqual(expected);
    });
  });

  describe('when a sentiment is the target state (TradersPost semantics)', () => {
    it.each([
      [
        { action: 'buy', sentiment: 'long' },
        { kind: 'enter', direction: 'long' },
      ],
      [
        { action: 'buy', sentiment: 'flat' },
        { kind: 'close', partial: false, only: 'short' },
      ],
      [
        { action: 'buy', sentiment: 'short' },
        { kind: 'reduce', direction: 'short' },
      ],
      [
        { action: 'sell', sentiment: 'short' },
        { kind: 'enter', direction: 'short' },
      ],
      [
        { action: 'sell', sentiment: 'flat' },
        { kind: 'close', partial: false, only: 'long' },
      ],
      [
        { action: 'sell', sentiment: 'long' },
        { kind: 'reduce', direction: 'long' },
      ],
      [{ sentiment: 'long' }, { kind: 'enter', direction: 'long' }],
      [{ sentiment: 'short' }, { kind: 'enter', direction: 'short' }],
      [{ sentiment: 'flat' }, { kind: 'close', partial: false }],
      [
        { action: 'close', sentiment: 'flat' },
        { kind: 'close', partial: false },
      ],
      [
        { action: 'long', sentiment: 'long' },
        { kind: 'enter', direction: 'long' },
      ],
      [
        { action: 'reverse', sentiment: 'short' },
        { kind: 'reverse', fallback: 'short' },
      ],
      // flat means flat: a quantity does not make it partial.
      [
        { sentiment: 'flat', quantity: 0.1 },
        { kind: 'close', partial: false },
      ],
    ] as const)('when %j, then the intent is %j', (fields, expected) => {
      expect(intentOf(fields as Partial<Alert>)).toEqual(expected);
    });
  });

  describe('when positionSize gives the target', () => {
    it.each([
      [{ positionSize: 1 }, { kind: 'target', target: 1, direction: 'both' }],
      [{ positionSize: -1 }, { kind: 'target', target: -1, direction: 'both' }],
      [{ positionSize: 0 }, { kind: 'target', target: 0, direction: 'both' }],
      [
        { action: 'buy', positionSize: -0.5 },
        { kind: 'target', target: -0.5, direction: 'up' },
      ],
      [
        { action: 'sell', positionSize: -1 },
        { kind: 'target', target: -1, direction: 'down' },
      ],
      [
        { action: 'long', positionSize: 2 },
        { kind: 'target', target: 2, direction: 'up' },
      ],
      [
        { action: 'short', positionSize: 0 },
        { kind: 'target', target: 0, direction: 'down' },
      ],
      [
        { action: 'close', positionSize: 0 },
        { kind: 'target', target: 0, direction: 'both' },
      ],
      [
        { sentiment: 'long', positionSize: 1 },
        { kind: 'target', target: 1, direction: 'both' },
      ],
      [
        { action: 'sell', sentiment: 'flat', positionSize: 0 },
        { kind: 'target', target: 0, direction: 'down' },
      ],
      // positionSize wins over quantity: the target, not the order size, is what converges.
      [
        { action: 'buy', quantity: 5, positionSize: 1 },
        { kind: 'target', target: 1, direction: 'up' },
      ],
    ] as const)('when %j, then the intent is %j', (fields, expected) => {
      expect(intentOf(fields as Partial<Alert>)).toEqual(expected);
    });
  });

  describe('when the fields contradict each other', () => {
    it.each([
      { action: 'long', sentiment: 'short' },
      { action: 'long', sentiment: 'flat' },
      { action: 'short', sentiment: 'long' },
      { action: 'close', sentiment: 'long' },
      { action: 'reverse', sentiment: 'flat' },
      { action: 'reverse', positionSize: 1 },
      { action: 'close', positionSize: 1 },
      { action: 'long', positionSize: -1 },
      { action: 'short', positionSize: 1 },
      { sentiment: 'long', positionSize: -1 },
      { sentiment: 'short', positionSize: 0 },
      { sentiment: 'flat', positionSize: 1 },
    ] as const)('when %j, then it is refused as contradictory', (fields) => {
      const r = resolveIntent(alert(fields as Partial<Alert>));
      expect(r).toMatchObject({ ok: false, code: 'contradictory_signal' });
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(20);
    });
  });

  it('when there is no action, sentiment or positionSize, then it is refused', () => {
    expect(intentOf({})).toBe('action_required');
  });
});
