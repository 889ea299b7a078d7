import { Redis } from 'ioredis';
import { type OrderIntent } from '../../../src/exchange/exchange-session';
import { PaperExchange } from '../../../src/exchange/paper/paper-exchange';
import { redisKeys } from '../../../src/redis/keys';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

describe('offline paper exchange: account listings', () => {
  const prefix = uniquePrefix('paper-listing');
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });
  const k = redisKeys(prefix);
  /** The paper account `id`: 10,000 USDT, no fees. */
  const account = (id: string) =>
    new PaperExchange({
      accountId: id,
      redis,
      bookKey: k.paperBook(id),
      ordersKey: k.paperOrders(id),
      startingBalances: { USDT: 10000 },
      feeRate: 0,
    });
  const paper = account('pl');
  const intent = (id: string, fields: Partial<OrderIntent>): OrderIntent => ({
    leg: 'open',
    clientOrderId: id,
    symbol: 'BTC/USDT:USDT',
    side: 'buy',
    type: 'market',
    amount: 0.01,
    ...fields,
  });

  it('when the account is flat with nothing resting, then both lists are empty', async () => {
    // An account of its own: the other test trades on `pl`, before or after this one (random order).
    const flat = account('flat');
    expect(await flat.fetchPositions()).toEqual([]);
    expect(await flat.fetchOpenOrders()).toEqual([]);
  });

  it('when a perp short is open and limit orders rest, then positions carry unrealised PnL at the last price and the resting orders are listed', async () => {
    await paper.createOrder(intent('plshort', { side: 'sell', amount: 0.02, referencePrice: 60000 }));
    await paper.createOrder(intent('plrest', { type: 'limit', price: 50000, amount: 0.01 }));
    await paper.createOrder(
      intent('plspot', { symbol: 'ETH/USDT', type: 'limit', price: 2000, amount: 0.1 }),
    );
    // The price moves to 59,000 (an alert's reference price): the short is 0.02 × 1000 = 20 USDT up.
    await paper.observePrice!('BTC/USDT:USDT', 59000);

    expect(await paper.fetchPositions()).toEqual([
      { symbol: 'BTC/USDT:USDT', contracts: -0.02, side: 'short', entryPrice: 60000, unrealizedPnl: 20 },
    ]);
    const open = await paper.fetchOpenOrders();
    expect(open.map((o) => [o.clientOrderId, o.symbol, o.status]).sort()).toEqual([
      ['plrest', 'BTC/USDT:USDT', 'open'],
      ['plspot', 'ETH/USDT', 'open'],
    ]);
  });
});
