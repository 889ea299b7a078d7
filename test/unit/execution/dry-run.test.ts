import { type DryRunRequest } from '../../../src/dryrun/dry-run-answer';
import { type Market } from '../../../src/exchange/exchange-session';
import { dryRunSignal } from '../../../src/execution/dry-run';
import { readOnlyView } from '../../../src/execution/plan-on-session';
import { FakeClock } from '../../support/memory/fake-clock';
import { BTC_SPOT, MemoryExchange } from '../../support/memory/memory-exchange';

const WRITES = ['createOrder', 'cancelOpenOrders', 'setLeverage', 'setMarginMode', 'observePrice', 'close'];

/** Dry-runs a market buy of 0.1 BTCUSDT at 60,000 on account `main` (a memory exchange), or `alert`. */
const dryRun = (exchange: MemoryExchange, clock: FakeClock, alert: Partial<DryRunRequest['alert']>) =>
  dryRunSignal(
    {
      signalId: 'sig_0123456789abcdef01234567',
      requestId: 'req-1',
      deadline: clock.now() + 10_000,
      alert: {
        account: 'main',
        symbol: 'BTCUSDT',
        action: 'buy',
        orderType: 'market',
        quantity: 0.1,
        quantityType: 'base',
        price: 60_000,
        ...alert,
      },
    },
    {
      accounts: new Map([['main', { id: 'main', exchange: 'memory', defaultType: 'spot', symbols: [] }]]),
      session: () => readOnlyView(exchange),
      clock,
    },
  );

describe('dry run planning', () => {
  it('when a session is viewed read-only, then the view carries no member that sends, cancels or changes anything', () => {
    const view = readOnlyView(new MemoryExchange(new FakeClock(), { accountId: 'main' }));
    for (const member of WRITES)
      expect({ member, present: member in view }).toEqual({ member, present: false });
  });

  it('when an alert is dry-run, then the session saw reads only', async () => {
    const clock = new FakeClock();
    const exchange = new MemoryExchange(clock, { accountId: 'main' });
    const answer = await dryRun(exchange, clock, { orderType: 'limit', quantity: 0.01 });
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

  describe('fees', () => {
    const withFees = (fees: Partial<Market>) => {
      const clock = new FakeClock();
      const exchange = new MemoryExchange(clock, { accountId: 'main' });
      exchange.marketMap = { [BTC_SPOT.symbol]: { ...BTC_SPOT, ...fees } };
      exchange.balances = { USDT: { free: 6_000, used: 0, total: 6_000 } };
      return { clock, exchange };
    };

    it('when the market gives fee rates, then each intent estimates its fee (taker for market, maker for limit) beside its cost', async () => {
      const { clock, exchange } = withFees({ taker: 0.001, maker: 0.0002, feeSide: 'get' });
      const market = await dryRun(exchange, clock, {});
      expect(market.intents[0]).toMatchObject({ type: 'market', estimatedCost: 6_000, estimatedFee: 6 });
      const limit = await dryRun(exchange, clock, { orderType: 'limit' });
      expect(limit.intents[0]).toMatchObject({ type: 'limit', estimatedCost: 6_000, estimatedFee: 1.2 });
      // Fees taken from the base a buy gets need no quote: the whole balance buys.
      expect(market.outcome).toBe('would_place');
    });

    it('when the fee is charged on top of a buy of the whole free quote, then the dry run predicts the refusal and names the fee', async () => {
      const { clock, exchange } = withFees({ taker: 0.001, maker: 0.001, feeSide: 'quote' });
      const answer = await dryRun(exchange, clock, {});
      expect(answer.outcome).toBe('refused');
      expect(answer.refusal).toEqual({
        code: 'insufficient_balance',
        source: 'funds',
        currency: 'USDT',
        needed: 6_006,
        available: 6_000,
        reason: 'the orders need 6006 USDT (6 of it fees), 6000 USDT is free: the exchange would refuse',
      });
    });

    it('when the market gives no fee rate, then no fee is estimated and the whole free quote buys', async () => {
      const { clock, exchange } = withFees({});
      const answer = await dryRun(exchange, clock, {});
      expect(answer.outcome).toBe('would_place');
      expect(answer.intents[0].estimatedCost).toBe(6_000);
      expect('estimatedFee' in answer.intents[0]).toBe(false);
    });
  });
});
