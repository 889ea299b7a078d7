import { Redis } from 'ioredis';
import { type OrderIntent } from '../../../src/exchange/exchange-session';
import { PaperExchange, type PaperExchangeOptions } from '../../../src/exchange/paper/paper-exchange';
import { type PaperBook } from '../../../src/exchange/paper/paper-book';
import { redisKeys } from '../../../src/redis/keys';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * The offline paper exchange against real Redis: what must hold across calls, restarts and concurrent worker
 * processes (each `PaperExchange` here stands for one worker process; they share only Redis).
 */
describe('offline paper exchange in Redis', () => {
  const prefix = uniquePrefix('paper-offline');
  const redis = new Redis(REDIS_URL);
  let account = 0;
  let keys: { book: string; orders: string; id: string };

  beforeEach(() => {
    account += 1;
    const k = redisKeys(prefix);
    const id = `acct${account}`;
    keys = { book: k.paperBook(id), orders: k.paperOrders(id), id };
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  /** A session on the current test's account, as a worker process would build it. */
  const session = (overrides: Partial<PaperExchangeOptions> = {}, client: Redis = redis) =>
    new PaperExchange({
      accountId: keys.id,
      redis: client,
      bookKey: keys.book,
      ordersKey: keys.orders,
      startingBalances: { USDT: 10000 },
      ...overrides,
    });

  let ids = 0;
  const intent = (fields: Partial<OrderIntent> = {}): OrderIntent => {
    ids += 1;
    return {
      leg: 'open',
      clientOrderId: `th${String(ids).padStart(24, '0')}open`,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: 0.01,
      referencePrice: 65000,
      ...fields,
    };
  };
  const book = async (): Promise<PaperBook> => JSON.parse((await redis.hget(keys.book, 'book')) ?? 'null');

  it('when the same client order id is placed twice, then the second call returns the first order and fills nothing', async () => {
    const paper = session();
    const order = intent();
    const first = await paper.createOrder(order);
    const second = await paper.createOrder({ ...order, referencePrice: 70000 });
    expect(second).toEqual(first);
    expect((await paper.fetchBalance()).BTC.total).toBe(0.01);
    expect((await book()).wallet.USDT).toBe('9349.35');
  });

  it('when four worker processes place the same client order ids at once, then each fills exactly once', async () => {
    const clients = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
    try {
      const workers = clients.map((client) => session({}, client));
      const orders = Array.from({ length: 5 }, () => intent({ amount: 0.001, referencePrice: 1000 }));
      const results = await Promise.all(
        orders.flatMap((order) => workers.map((worker) => worker.createOrder(order))),
      );
      expect(new Set(results.map((r) => r.clientOrderId)).size).toBe(5);
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(5);
      // Five fills of 1 USDT plus a 0.001 fee each, not twenty.
      expect((await book()).wallet).toEqual({ USDT: '9994.995', BTC: '0.005' });
    } finally {
      for (const client of clients) client.disconnect();
    }
  });

  it('when two worker processes trade different symbols of one account at once, then no update is lost', async () => {
    const other = new Redis(REDIS_URL);
    try {
      const [a, b] = [session(), session({}, other)];
      const buys = (paper: PaperExchange, symbol: string) =>
        Array.from({ length: 15 }, () =>
          paper.createOrder(intent({ symbol, amount: 0.001, referencePrice: 1000 })),
        );
      await Promise.all([...buys(a, 'BTC/USDT'), ...buys(b, 'ETH/USDT')]);
      // 30 buys of 0.001 at 1000: 1 USDT each plus a 0.001 fee.
      expect((await book()).wallet).toEqual({ USDT: '9969.97', BTC: '0.015', ETH: '0.015' });
    } finally {
      other.disconnect();
    }
  });

  it('when an order is refused, then the book is left exactly as it was', async () => {
    const paper = session();
    await paper.createOrder(intent());
    const before = await redis.hgetall(keys.book);
    await expect(paper.createOrder(intent({ amount: 1 }))).rejects.toMatchObject({
      code: 'insufficient_funds',
      message: 'paper balance too low: 9349.35 USDT free, order needs 65065 USDT',
    });
    expect(await redis.hgetall(keys.book)).toEqual(before);
  });

  it('when a limit rests and a later alert price crosses it, then findOrder turns from open to filled', async () => {
    const ended: unknown[] = [];
    const paper = session({ onOrderEnded: (order) => ended.push(order) });
    await paper.observePrice!('BTC/USDT', 65000);
    const limit = intent({ type: 'limit', price: 64000, referencePrice: 64000 });
    const placed = await paper.createOrder(limit);
    expect(placed).toMatchObject({ status: 'open', filled: 0, price: 64000 });
    expect((await paper.fetchBalance()).USDT).toEqual({ free: 9359.36, used: 640.64, total: 10000 });
    expect(await paper.findOrder('BTC/USDT', limit.clientOrderId)).toMatchObject({ status: 'open' });

    await paper.observePrice!('BTC/USDT', 63500);

    expect(await paper.findOrder('BTC/USDT', limit.clientOrderId)).toMatchObject({
      status: 'closed',
      filled: 0.01,
      average: 64000,
      cost: 640,
      fee: { cost: 0.64, currency: 'USDT' },
    });
    expect((await paper.fetchBalance()).USDT).toEqual({ free: 9359.36, used: 0, total: 9359.36 });
    expect(ended).toEqual([
      expect.objectContaining({ clientOrderId: limit.clientOrderId, status: 'closed' }),
    ]);
  });

  it('when the worker restarts, then a new session finds the same book and resting orders', async () => {
    await session().observePrice!('ETH/USDT', 3000);
    const limit = intent({ symbol: 'ETH/USDT', type: 'limit', price: 2900, amount: 1 });
    await session().createOrder(limit);
    const restarted = session();
    expect(await restarted.fetchPrice('ETH/USDT')).toBe(3000);
    await restarted.observePrice!('ETH/USDT', 2899);
    expect(await session().findOrder('ETH/USDT', limit.clientOrderId)).toMatchObject({ status: 'closed' });
  });

  it('when a cancel arrives, then resting orders of that symbol are canceled and their funds released', async () => {
    const paper = session();
    await paper.observePrice!('BTC/USDT', 65000);
    await paper.observePrice!('ETH/USDT', 3000);
    const btc = intent({ type: 'limit', price: 60000 });
    const eth = intent({ symbol: 'ETH/USDT', type: 'limit', price: 2500, amount: 1 });
    await paper.createOrder(btc);
    await paper.createOrder(eth);
    const canceled = await paper.cancelOpenOrders('BTC/USDT');
    expect(canceled).toEqual([
      expect.objectContaining({ clientOrderId: btc.clientOrderId, status: 'canceled' }),
    ]);
    expect(await paper.findOrder('BTC/USDT', btc.clientOrderId)).toMatchObject({
      status: 'canceled',
      filled: 0,
    });
    expect((await paper.fetchBalance()).USDT).toEqual({ free: 7497.5, used: 2502.5, total: 10000 });
    expect(await paper.cancelOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('when no alert has priced a symbol, then fetchPrice asks for the alert price', async () => {
    await expect(session().fetchPrice('SOL/USDT')).rejects.toMatchObject({ code: 'price_required' });
  });

  it('when a fee rate is configured, then fills pay it, and the markets it builds say so (what dry runs count)', async () => {
    const paper = session({ feeRate: 0.0004 });
    expect(await paper.createOrder(intent({ amount: 1, referencePrice: 1000 }))).toMatchObject({
      fee: { cost: 0.4, currency: 'USDT' },
    });
    const charged = { taker: 0.0004, maker: 0.0004, feeSide: 'quote' };
    expect(paper.syntheticMarket?.('BTC', 'USDT', 'spot')).toMatchObject(charged);
    expect(paper.syntheticMarket?.('BTC', 'USDT', 'swap')).toMatchObject(charged);
  });

  it('when an account has never traded, then its balance is the starting balance and nothing is written', async () => {
    expect(await session({ startingBalances: { USDT: 500, BTC: 0.25 } }).fetchBalance()).toEqual({
      USDT: { free: 500, used: 0, total: 500 },
      BTC: { free: 0.25, used: 0, total: 0.25 },
    });
    expect(await redis.exists(keys.book)).toBe(0);
  });
});
