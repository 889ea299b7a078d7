import { type ExchangeCapabilities } from '../../../src/exchange/exchange-session';
import { type PlanStep, planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import { BYBIT_ETH_LINEAR, CAPS_SEPARATE, codeOf, input, position, stepsOf } from './fixtures';

const M = BYBIT_ETH_LINEAR;

const plan = (alert: Partial<Alert>, held = 0, caps: ExchangeCapabilities = CAPS_SEPARATE) =>
  planSignal(
    input(alert, { market: M, capabilities: caps, snapshot: { position: position(M, held), price: 3000 } }),
  );

/** One word per step: `margin:isolated`, `leverage:5`, `open:buy`, `close:sell`, `sl:sell`, `cancel`. */
const shape = (steps: PlanStep[]) =>
  steps.map((s) => {
    switch (s.kind) {
      case 'set_margin_mode':
        return `margin:${s.mode}`;
      case 'set_leverage':
        return `leverage:${s.leverage}`;
      case 'order':
        return `${s.intent.leg}:${s.intent.side}`;
      case 'cancel_open':
        return 'cancel';
    }
  });

describe('planSignal leverage and margin mode', () => {
  it.each([
    [{ action: 'long', quantity: 1, leverage: 5 }, 0, ['leverage:5', 'open:buy']],
    [{ action: 'long', quantity: 1, marginMode: 'isolated' }, 0, ['margin:isolated', 'open:buy']],
    [
      { action: 'long', quantity: 1, leverage: 5, marginMode: 'cross' },
      0,
      ['margin:cross', 'leverage:5', 'open:buy'],
    ],
    // After the close: exchanges refuse a margin-mode change while a position is open.
    [
      { action: 'long', quantity: 1, leverage: 3, marginMode: 'isolated' },
      -2,
      ['close:buy', 'margin:isolated', 'leverage:3', 'open:buy'],
    ],
    [{ positionSize: -1, leverage: 2 }, 1, ['close:sell', 'leverage:2', 'open:sell']],
    [
      { action: 'short', quantity: 1, leverage: 2, stopLoss: { percent: 2 } },
      0,
      ['leverage:2', 'open:sell', 'sl:buy'],
    ],
  ] as const)('when %j at position %p, then the steps are %j', (alert, held, expected) => {
    expect(shape(stepsOf(plan(alert as Partial<Alert>, held)))).toEqual(expected);
  });

  it.each([
    [{ action: 'close', leverage: 5 }, 2, ['close:sell']],
    [{ sentiment: 'flat', marginMode: 'isolated' }, -2, ['close:buy']],
    [{ action: 'long', positionSize: 1, leverage: 5 }, 1, []],
  ] as const)(
    'when %j at %p opens nothing, then leverage is left alone with a note',
    (alert, held, expected) => {
      const p = plan(alert as Partial<Alert>, held);
      expect(shape(stepsOf(p))).toEqual(expected);
      expect(p.ok && p.notes).toContain('leverage/marginMode left as they are: nothing was opened');
    },
  );

  it.each([
    ['setLeverage', { leverage: 5 }],
    ['setMarginMode', { marginMode: 'isolated' }],
  ] as const)(
    'when the exchange lacks %s, then the signal is refused rather than traded at another leverage',
    (cap, extra) => {
      const p = plan({ action: 'long', quantity: 1, ...extra }, 0, { ...CAPS_SEPARATE, [cap]: false });
      expect(codeOf(p)).toBe('leverage_not_supported');
    },
  );

  it('when the action is cancel, then only the cancel step is planned', () => {
    expect(shape(stepsOf(plan({ action: 'cancel', leverage: 5 })))).toEqual(['cancel']);
  });
});
