import { CcxtSession } from '../../../src/exchange/ccxt/ccxt-session';
import { ExchangePolicy } from '../../../src/exchange/policies/exchange-policy';
import {
  FAST_POLICY,
  FakeBinance,
  FakeBybit,
  makeCcxtAccount,
  startSession,
} from '../../support/fake-exchange';
import { intent } from './order-intent';

/** Answers of real exchanges that the happy paths never meet. */
describe('CcxtSession at the edges', () => {
  it('when the account passes a ready policy, then the session uses that very policy (one breaker per account)', async () => {
    const fake = await new FakeBinance().start();
    const policy = new ExchangePolicy(FAST_POLICY);
    const session = new CcxtSession({ account: makeCcxtAccount(fake), policy });
    try {
      expect(session.policy).toBe(policy);
    } finally {
      await session.close();
      await fake.close();
    }
  });

  it('when the ticker carries no last price, then fetchPrice fails permanently with a reason instead of sizing on nothing', async () => {
    const t = await startSession(new FakeBinance());
    try {
      t.fake.failNext('ticker', { body: { symbol: 'BTCUSDT', lastPrice: null, prevClosePrice: null } });
      await expect(t.session.fetchPrice('BTC/USDT')).rejects.toMatchObject({
        code: 'exchange_error',
        kind: 'permanent',
        message: 'binance reports no last price for BTC/USDT',
      });
    } finally {
      await t.close();
    }
  });

  it('when a leverage change is refused for a reason other than "already set", then the refusal is reported', async () => {
    const t = await startSession(new FakeBinance('binanceusdm'), { defaultType: 'swap' });
    try {
      t.fake.failNext('setLeverage', { binanceCode: -4028, msg: 'Leverage 200 is not valid' });
      await expect(t.session.setLeverage('BTC/USDT:USDT', 200)).rejects.toMatchObject({ kind: 'permanent' });
    } finally {
      await t.close();
    }
  });

  it('when Bybit answers an order id only and the status lookup fails, then the order still counts as accepted (open)', async () => {
    const t = await startSession(new FakeBybit(), { defaultType: 'swap' });
    try {
      for (let i = 0; i < 3; i++) t.fake.failNext('openOrders', { status: 503 });
      const order = await t.session.createOrder(intent('bybTerse1', 'BTC/USDT:USDT'));
      expect(order).toMatchObject({ clientOrderId: 'bybTerse1', status: 'open', amount: 0.01 });
      expect(order.id).toMatch(/^1b7f/);
      // The order is really there: the next lookup finds it filled.
      await expect(t.session.findOrder('BTC/USDT:USDT', 'bybTerse1')).resolves.toMatchObject({
        status: 'closed',
      });
    } finally {
      await t.close();
    }
  });
});
