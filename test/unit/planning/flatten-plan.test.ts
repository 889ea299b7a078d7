import { planFlatten } from '../../../src/execution/planning/flatten-plan';

const SIGNAL = 'sig_0123456789abcdef01234567';
const order = (symbol: string, id: string) =>
  ({ id, symbol, side: 'buy', type: 'limit', amount: 1, filled: 0, status: 'open' }) as const;

describe('planFlatten', () => {
  it('when orders rest and positions are open, then it cancels per symbol first and closes each position reduce-only, legs by symbol order', () => {
    const plan = planFlatten({
      signalId: SIGNAL,
      openOrders: [order('ETH/USDT:USDT', '1'), order('BTC/USDT', '2'), order('ETH/USDT:USDT', '3')],
      positions: [
        { symbol: 'SOL/USDT:USDT', contracts: 3, side: 'long' },
        { symbol: 'BTC/USDT:USDT', contracts: -0.5, side: 'short' },
        { symbol: 'ETH/USDT:USDT', contracts: 0, side: 'flat' },
      ],
    });

    expect(plan.steps).toEqual([
      { kind: 'cancel_open', symbol: 'BTC/USDT' },
      { kind: 'cancel_open', symbol: 'ETH/USDT:USDT' },
      {
        kind: 'order',
        intent: {
          leg: 'fl0',
          clientOrderId: 'th0123456789abcdef01234567fl0',
          symbol: 'BTC/USDT:USDT',
          side: 'buy',
          type: 'market',
          amount: 0.5,
          reduceOnly: true,
        },
      },
      expect.objectContaining({
        intent: expect.objectContaining({ leg: 'fl1', symbol: 'SOL/USDT:USDT', side: 'sell', amount: 3 }),
      }),
    ]);
    expect(plan.notes).toEqual([
      'flatten: canceling 3 open orders on BTC/USDT, ETH/USDT:USDT',
      'flatten: closing short 0.5 BTC/USDT:USDT, long 3 SOL/USDT:USDT reduce-only at market',
      'flatten: spot holdings are left alone',
    ]);
  });

  it('when nothing is open, then the plan is empty and says so', () => {
    expect(planFlatten({ signalId: SIGNAL, openOrders: [], positions: [] })).toEqual({
      steps: [],
      notes: [
        'flatten: no open orders',
        'flatten: no derivatives position open',
        'flatten: spot holdings are left alone',
      ],
    });
  });
});
