import { dryRunSignal } from '../../../src/execution/dry-run';
import { readOnlyView } from '../../../src/execution/plan-on-session';
import { FakeClock } from '../../support/memory/fake-clock';
import { MemoryExchange } from '../../support/memory/memory-exchange';

const WRITES = ['createOrder', 'cancelOpenOrders', 'setLeverage', 'setMarginMode', 'observePrice', 'close'];

describe('dry run planning', () => {
  it('when a session is viewed read-only, then the view carries no member that sends, cancels or changes anything', () => {
    const view = readOnlyView(new MemoryExchange(new FakeClock(), { accountId: 'main' }));
    for (const member of WRITES)
      expect({ member, present: member in view }).toEqual({ member, present: false });
  });

  it('when an alert is dry-run, then the session saw reads only', async () => {
    const clock = new FakeClock();
    const exchange = new MemoryExchange(clock, { accountId: 'main' });
    const answer = await dryRunSignal(
      {
        signalId: 'sig_0123456789abcdef01234567',
        requestId: 'req-1',
        deadline: clock.now() + 10_000,
        alert: {
          account: 'main',
          symbol: 'BTCUSDT',
          action: 'buy',
          orderType: 'limit',
          quantity: 0.01,
          quantityType: 'base',
          price: 60_000,
        },
      },
      {
        accounts: new Map([['main', { id: 'main', exchange: 'memory', defaultType: 'spot', symbols: [] }]]),
        session: () => readOnlyView(exchange),
        clock,
      },
    );
    expect(answer.refusal).toBeNull();
    expect(answer.outcome).toBe('would_place');
    expect(answer.intents[0]).toMatchObject({
      leg: 'open',
      side: 'buy',
      type: 'limit',
      amount: 0.01,
      price: 60_000,
    });
    const methods = new Set(exchange.calls.map((c) => c.method));
    for (const member of WRITES) expect(methods.has(member)).toBe(false);
  });
});
