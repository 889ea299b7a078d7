import { FakeBinance, makeCcxtAccount } from '../../../support/fake-exchange';
import { type Engine, createOrdersFor, startEngine } from './engine-harness';

/**
 * Sizes on a contract market whose contract is not one base unit: Binance COIN-M's inverse BTCUSD_PERP,
 * where 1 contract = 100 USD (the fake lists it beside spot and USDⓈ-M). `quantityType: base` is BTC and
 * becomes contracts at the price; `quantityType: contracts` is sent as it is.
 */
describe('engine: a contract size other than one (Binance COIN-M, 100 USD contracts)', () => {
  const fake = new FakeBinance('binance');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-contract-size', [fake], ([f]) => [
      makeCcxtAccount(f, { id: 'coinm', defaultType: 'swap' }),
    ]);
  });
  afterAll(() => engine.close());
  beforeEach(() => {
    fake.state.positions = {};
  });

  const position = () => fake.state.positions.BTCUSD_PERP?.amount ?? 0;

  it('when 0.005 BTC is bought at 60,000, then 3 contracts of 100 USD are sent and the record says how it converted', async () => {
    const rec = await engine.run({ symbol: 'BTC/USD:BTC', action: 'buy', quantity: 0.005, price: 60_000 });

    expect(rec.status).toBe('filled');
    const [sent] = createOrdersFor(fake, rec.id);
    expect(sent.path).toBe('/dapi/v1/order');
    expect(sent.params).toMatchObject({ symbol: 'BTCUSD_PERP', side: 'BUY', type: 'MARKET', quantity: '3' });
    expect(position()).toBe(3);
    expect(rec.notes).toEqual(['quantity 0.005 BTC at 60000 = 3 contracts (1 contract = 100 USD)']);
    expect(rec.orders).toEqual([expect.objectContaining({ symbol: 'BTC/USD:BTC', amount: 3, filled: 3 })]);
  });

  it('when the alert gives contracts, then they are sent as they are', async () => {
    const rec = await engine.run({
      symbol: 'BTC/USD:BTC',
      action: 'sell',
      quantity: 7,
      quantityType: 'contracts',
      price: 60_000,
    });

    expect(rec.status).toBe('filled');
    expect(createOrdersFor(fake, rec.id)[0].params).toMatchObject({ side: 'SELL', quantity: '7' });
    expect(position()).toBe(-7);
    expect(rec.notes).toBeUndefined();
  });

  it('when positionSize targets 0.01 BTC from a short of 2 contracts, then the short is closed and 6 contracts opened', async () => {
    fake.state.positions.BTCUSD_PERP = { amount: -2, entryPrice: 60_000 };

    const rec = await engine.run({ symbol: 'BTC/USD:BTC', action: 'buy', positionSize: 0.01, price: 60_000 });

    expect(rec.status).toBe('filled');
    expect(
      createOrdersFor(fake, rec.id).map((r) => [r.params.side, r.params.quantity, r.params.reduceOnly]),
    ).toEqual([
      ['BUY', '2', 'true'],
      ['BUY', '6', undefined],
    ]);
    expect(position()).toBe(6);
    expect(rec.notes).toEqual(['positionSize 0.01 BTC at 60000 = 6 contracts (1 contract = 100 USD)']);
  });
});
