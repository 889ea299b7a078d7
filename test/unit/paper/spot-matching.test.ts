import { openOrdersOf } from '../../../src/exchange/paper/paper-book';
import { endOrder } from '../../../src/exchange/paper/order-execution';
import { SPOT, balance, ledgerWith, place, refusalOf, trade } from './paper-fixtures';

describe('paper matching on spot', () => {
  describe('market orders', () => {
    it('when a market buy arrives, then it fills at once at the market price and pays the fee in the quote', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      const order = place(ledger, { amount: 0.01 });
      expect(order).toMatchObject({
        status: 'closed',
        filled: '0.01',
        average: '65000',
        cost: '650',
        fee: '0.65',
      });
      expect(balance(ledger, 'USDT')).toEqual({ free: '9349.35', used: '0', total: '9349.35' });
      expect(balance(ledger, 'BTC').total).toBe('0.01');
    });

    it('when no price is known, then a market order is refused with what to send', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      expect(refusalOf(() => place(ledger, { amount: 0.01 }))).toEqual({
        code: 'price_required',
        message: expect.stringContaining('"price": "{{close}}"'),
      });
    });
  });

  describe('limit orders', () => {
    it('when a limit buy is below the price, then it rests with its cost and fee reserved', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      const order = place(ledger, { type: 'limit', price: 64000, amount: 0.01 });
      expect(order).toMatchObject({
        status: 'open',
        filled: '0',
        reserved: { currency: 'USDT', amount: '640.64' },
      });
      expect(balance(ledger, 'USDT')).toEqual({ free: '9359.36', used: '640.64', total: '10000' });
    });

    it('when the price comes near but does not cross, then the limit keeps resting', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      place(ledger, { type: 'limit', price: 64000, amount: 0.01 });
      expect(trade(ledger, 64000.01)).toEqual([]);
      expect(openOrdersOf(ledger.book, SPOT.symbol)).toHaveLength(1);
    });

    it('when the price gaps through a resting buy, then it fills at its limit, not at the lower price', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      const order = place(ledger, { type: 'limit', price: 64000, amount: 0.01 });
      const filled = trade(ledger, 63000);
      expect(filled).toEqual([
        expect.objectContaining({ clientOrderId: order.clientOrderId, status: 'closed' }),
      ]);
      expect(filled[0]).toMatchObject({ filled: '0.01', average: '64000', cost: '640', fee: '0.64' });
      expect(filled[0].reserved).toBeUndefined();
      expect(balance(ledger, 'USDT')).toEqual({ free: '9359.36', used: '0', total: '9359.36' });
      expect(balance(ledger, 'BTC').total).toBe('0.01');
    });

    it('when a resting sell is reached exactly, then it fills and the coins it held are released', () => {
      const ledger = ledgerWith({ USDT: 0, BTC: 1 });
      trade(ledger, 65000);
      place(ledger, { side: 'sell', type: 'limit', price: 66000, amount: 0.5 });
      expect(balance(ledger, 'BTC')).toEqual({ free: '0.5', used: '0.5', total: '1' });
      expect(trade(ledger, 66000)).toHaveLength(1);
      expect(balance(ledger, 'BTC')).toEqual({ free: '0.5', used: '0', total: '0.5' });
      expect(balance(ledger, 'USDT').total).toBe('32967');
    });

    it('when a limit crosses the market at placement, then it fills at once at the better market price', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      expect(place(ledger, { type: 'limit', price: 66000, amount: 0.01 })).toMatchObject({
        status: 'closed',
        average: '65000',
      });
    });

    it('when no price is known yet, then a limit rests and the first price that crosses it fills it', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      place(ledger, { type: 'limit', price: 64000, amount: 0.01 });
      expect(trade(ledger, 64500)).toEqual([]);
      expect(trade(ledger, 63999)).toEqual([expect.objectContaining({ status: 'closed', average: '64000' })]);
    });

    it('when a resting order is canceled, then its reservation is released', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      const order = place(ledger, { type: 'limit', price: 64000, amount: 0.01 });
      endOrder(ledger, order, { status: 'canceled', note: 'test' });
      expect(balance(ledger, 'USDT')).toEqual({ free: '10000', used: '0', total: '10000' });
      expect(trade(ledger, 60000)).toEqual([]);
    });

    it('when funds are reserved by a resting buy, then a later order cannot spend them again', () => {
      const ledger = ledgerWith({ USDT: 1000 });
      trade(ledger, 65000);
      place(ledger, { type: 'limit', price: 60000, amount: 0.015 });
      expect(refusalOf(() => place(ledger, { amount: 0.002 }))).toEqual({
        code: 'insufficient_funds',
        message: 'paper balance too low: 99.1 USDT free, order needs 130.13 USDT',
      });
    });
  });

  describe('post-only, IOC and FOK', () => {
    it('when a post-only buy would cross, then it is refused with the prices and nothing changes', () => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      const before = JSON.stringify(ledger.book);
      const refused = refusalOf(() =>
        place(ledger, { type: 'limit', price: 65000, amount: 0.01, postOnly: true }),
      );
      expect(refused.code).toBe('post_only_rejected');
      expect(refused.message).toBe(
        'paper: post-only buy at 65000 would immediately match (last price 65000); refused',
      );
      // Only the order counter may move; no order rests, no balance moves.
      expect(openOrdersOf(ledger.book, SPOT.symbol)).toEqual([]);
      expect(balance(ledger, 'USDT').free).toBe('10000');
      expect(JSON.parse(before).wallet).toEqual(ledger.book.wallet);
    });

    it('when a post-only sell is above the price, then it rests as a maker', () => {
      const ledger = ledgerWith({ BTC: 1 });
      trade(ledger, 65000);
      expect(
        place(ledger, { side: 'sell', type: 'limit', price: 65001, amount: 1, postOnly: true }).status,
      ).toBe('open');
    });

    it.each(['IOC', 'FOK'] as const)(
      'when an %s limit does not cross, then it expires unfilled and holds nothing',
      (timeInForce) => {
        const ledger = ledgerWith({ USDT: 10000 });
        trade(ledger, 65000);
        const order = place(ledger, { type: 'limit', price: 64000, amount: 0.01, timeInForce });
        expect(order).toMatchObject({ status: 'expired', filled: '0' });
        expect(order.note).toContain('did not cross');
        expect(balance(ledger, 'USDT')).toEqual({ free: '10000', used: '0', total: '10000' });
        expect(trade(ledger, 60000)).toEqual([]);
      },
    );

    it.each(['IOC', 'FOK'] as const)('when an %s limit crosses, then it fills all now', (timeInForce) => {
      const ledger = ledgerWith({ USDT: 10000 });
      trade(ledger, 65000);
      expect(place(ledger, { type: 'limit', price: 65500, amount: 0.01, timeInForce })).toMatchObject({
        status: 'closed',
        filled: '0.01',
        average: '65000',
      });
    });
  });

  describe('refusals say the numbers', () => {
    it('when a sale is larger than the holding, then the refusal names both amounts', () => {
      const ledger = ledgerWith({ BTC: 0.01 });
      trade(ledger, 65000);
      expect(refusalOf(() => place(ledger, { side: 'sell', amount: 0.02 }))).toEqual({
        code: 'insufficient_funds',
        message: 'paper balance too low: 0.01 BTC free, order needs 0.02 BTC',
      });
    });

    it('when a resting sell holds the coins, then a market sale of them is refused', () => {
      const ledger = ledgerWith({ BTC: 0.01 });
      trade(ledger, 65000);
      place(ledger, { side: 'sell', type: 'limit', price: 70000, amount: 0.01 });
      expect(refusalOf(() => place(ledger, { side: 'sell', amount: 0.01 })).message).toBe(
        'paper balance too low: 0 BTC free, order needs 0.01 BTC',
      );
    });

    it('when spot gets a trigger or reduce-only order, then it is refused as not simulated', () => {
      const ledger = ledgerWith({ BTC: 1 });
      trade(ledger, 65000);
      expect(
        refusalOf(() =>
          place(ledger, { side: 'sell', type: 'stop_market', triggerPrice: 60000, reduceOnly: true }),
        ).code,
      ).toBe('not_supported');
      expect(refusalOf(() => place(ledger, { side: 'sell', reduceOnly: true })).code).toBe('not_supported');
    });
  });
});
