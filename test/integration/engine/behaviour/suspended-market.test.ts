import { FakeBinance, makeCcxtAccount } from '../../../support/fake-exchange';
import { type Engine, createOrdersFor, startEngine } from './engine-harness';

/**
 * A market whose trading is halted (Binance status BREAK; ccxt: `active: false`) keeps the orders that
 * rested on it. A cancel must still reach them — it only lowers risk — while new orders are refused.
 */
describe('engine: a suspended market', () => {
  const fake = new FakeBinance('binance', { suspendedSymbols: ['ETHUSDT'] });
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-suspended', [fake], ([f]) => [makeCcxtAccount(f, { id: 'bn' })]);
  });
  afterAll(() => engine.close());

  it('when a cancel arrives for a suspended market, then its open orders are canceled', async () => {
    // An order placed by hand before the halt still rests there.
    fake.state.orders.push({
      api: 'spot',
      orderId: fake.state.newId(),
      clientOrderId: 'manual-eth-bid',
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 0.5,
      price: 2500,
      stopPrice: 0,
      timeInForce: 'GTC',
      reduceOnly: false,
      status: 'NEW',
      executedQty: 0,
      avgPrice: 0,
      time: Date.now(),
      updateTime: Date.now(),
      algo: false,
    });

    const rec = await engine.run({ symbol: 'BINANCE:ETHUSDT', action: 'cancel' });

    expect(rec.status).toBe('done');
    expect(rec.notes).toEqual(['cancel: 1 open order canceled on ETH/USDT (manual-eth-bid)']);
    expect(fake.state.orders.find((o) => o.clientOrderId === 'manual-eth-bid')?.status).toBe('CANCELED');
  });

  it('when an order arrives for a suspended market, then it is refused as inactive and nothing is sent', async () => {
    const rec = await engine.run({ symbol: 'ETHUSDT', action: 'buy', quantity: 0.01, price: 3000 });

    expect(rec.status).toBe('rejected');
    expect(rec.error).toEqual({
      code: 'market_inactive',
      message: 'ETH/USDT is not active on the exchange (delisted or suspended)',
    });
    expect(createOrdersFor(fake, rec.id)).toEqual([]);
  });
});
