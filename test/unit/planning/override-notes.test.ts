import { planSignal } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import { BINANCE_BTC_SPOT, BINANCE_BTC_USDM, balances, codeOf, input, legsOf, position } from './fixtures';

const M = BINANCE_BTC_USDM;
const swapAt = (contracts: number, alert: Partial<Alert>) =>
  planSignal(input(alert, { market: M, snapshot: { position: position(M, contracts), price: 50_000 } }));
const notesOf = (plan: ReturnType<typeof planSignal>) => (plan.ok ? (plan.notes ?? []) : [plan.reason]);

describe('planSignal notes: whenever one field overrides another, the record says so', () => {
  it('when positionSize comes with a quantity, then the quantity is not used and a note says why', () => {
    const p = swapAt(0.2, { action: 'buy', positionSize: 0.5, quantity: 1 });
    expect(legsOf(p)).toEqual(['open buy 0.3']);
    expect(notesOf(p)).toEqual([
      'positionSize 0.5 sets the target position, so only the difference is traded: quantity 1 not used',
    ]);
  });

  it('when sentiment flat comes with a quantity, then the whole position is closed and a note says the quantity was not used', () => {
    const p = swapAt(0.7, { action: 'sell', sentiment: 'flat', quantity: 0.1 });
    expect(legsOf(p)).toEqual(['close sell 0.7']);
    expect(notesOf(p)).toEqual(['sentiment flat closes the whole position: quantity 0.1 not used']);
  });

  it('when a market order names a timeInForce, then it is not sent and a note says why', () => {
    const p = swapAt(0, { action: 'buy', quantity: 0.01, timeInForce: 'IOC' });
    expect(notesOf(p)).toEqual(['timeInForce IOC not used: a market order takes what the book has']);
  });

  it('when a cancel carries sizes or exits, then the note lists what was not used', () => {
    const p = swapAt(0, { action: 'cancel', quantity: 1, stopLoss: { percent: 2 } });
    expect(p.ok && p.steps).toEqual([{ kind: 'cancel_open', symbol: M.symbol }]);
    expect(notesOf(p)).toEqual(['cancel only cancels open orders: quantity, stopLoss not used']);
  });

  it('when a long meets a short, then the note says the short is closed first', () => {
    const p = swapAt(-0.2, { action: 'long', quantity: 0.1 });
    expect(legsOf(p)).toEqual(['close buy 0.2', 'open buy 0.1']);
    expect(notesOf(p)).toEqual([
      'the short position of 0.2 contracts (0.2 BTC) is closed first, then the long opened',
    ]);
  });

  it('when a partial close asks for more than is held, then the whole position is closed and a note says so', () => {
    const p = swapAt(0.3, { action: 'close', quantity: 0.5 });
    expect(legsOf(p)).toEqual(['close sell 0.3']);
    expect(notesOf(p)).toEqual([
      'closes the whole position of 0.3 contracts (0.3 BTC) instead of 0.5 contracts (0.5 BTC): a close never opens the other side',
    ]);
  });

  it('when reverse has no quantity, then the new side mirrors the old and a note says so', () => {
    const p = swapAt(0.4, { action: 'reverse' });
    expect(legsOf(p)).toEqual(['close sell 0.4', 'open sell 0.4']);
    expect(notesOf(p)).toEqual([
      'reverse without a quantity: the new short mirrors the long of 0.4 contracts (0.4 BTC)',
    ]);
  });

  it('when percent_of_equity meets an empty balance, then the refusal says the balance is too low, with the numbers', () => {
    const p = planSignal(
      input(
        { action: 'buy', quantity: 10, quantityType: 'percent_of_equity' },
        { market: BINANCE_BTC_SPOT, snapshot: { balances: balances({ USDT: 0 }), price: 50_000 } },
      ),
    );
    expect(codeOf(p)).toBe('insufficient_balance');
    expect(notesOf(p)).toEqual(['balance too low: 0 USDT free, percent_of_equity needs some']);
  });
});
