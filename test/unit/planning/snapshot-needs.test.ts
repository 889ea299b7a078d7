import { type Market } from '../../../src/exchange/exchange-session';
import { snapshotNeeds } from '../../../src/execution/planning/plan-signal';
import { type Alert } from '../../../src/signals/alert';
import { BINANCE_BTC_SPOT, BINANCE_BTC_USDM, BINANCE_LUNA_SPOT } from './fixtures';

const alert = (fields: Partial<Alert>): Alert => ({
  account: 'main',
  symbol: 'BTCUSDT',
  orderType: 'market',
  quantityType: 'base',
  ...fields,
});

/** `b` balances, `p` position, `$` price: which are fetched. */
const needs = (fields: Partial<Alert>, market: Market) => {
  const n = snapshotNeeds(alert(fields), market);
  return `${n.balances ? 'b' : '-'}${n.position ? 'p' : '-'}${n.price ? '$' : '-'}`;
};

describe('snapshotNeeds', () => {
  describe('when the market is spot', () => {
    it.each([
      [{ action: 'cancel' }, '---'],
      [{ action: 'buy', quantity: 0.1 }, '--$'],
      [{ action: 'buy', quantity: 0.1, price: 50000 }, '---'],
      [{ action: 'buy', quantity: 100, quantityType: 'quote' }, '--$'],
      [{ action: 'buy', quantity: 10, quantityType: 'percent_of_equity' }, 'b-$'],
      [{ action: 'sell', quantity: 0.1 }, '--$'],
      [{ action: 'sell', quantity: 50, quantityType: 'percent_of_position' }, 'b-$'],
      [{ action: 'sell', quantity: 0.1, reduceOnly: true }, 'b-$'],
      [{ action: 'long', quantity: 0.1 }, '--$'],
      [{ action: 'close' }, 'b-$'],
      [{ action: 'close', price: 50000 }, 'b--'],
      [{ sentiment: 'flat' }, 'b-$'],
      [{ action: 'sell', sentiment: 'long', quantity: 0.1 }, 'b-$'],
      [{ positionSize: 0.5 }, 'b-$'],
      // Refused on spot before anything is fetched.
      [{ action: 'short', quantity: 0.1 }, '---'],
      [{ action: 'reverse' }, '---'],
      [{ positionSize: -1 }, '---'],
      [{ action: 'buy', sentiment: 'short', quantity: 0.1 }, '---'],
      [{ action: 'buy', quantity: 0.1, leverage: 5 }, '---'],
      // Closing a short that spot cannot hold is nothing to do.
      [{ action: 'buy', sentiment: 'flat' }, '---'],
    ] as const)('when %j, then it fetches %s', (fields, expected) => {
      expect(needs(fields as Partial<Alert>, BINANCE_BTC_SPOT)).toBe(expected);
    });
  });

  describe('when the market is a linear perpetual', () => {
    it.each([
      [{ action: 'cancel' }, '---'],
      // A plain order does not depend on the position.
      [{ action: 'buy', quantity: 0.1 }, '--$'],
      [{ action: 'sell', quantity: 0.1, price: 50000 }, '---'],
      [{ action: 'buy', quantity: 100, quantityType: 'quote' }, '--$'],
      [{ action: 'buy', quantity: 10, quantityType: 'percent_of_equity' }, 'b-$'],
      [{ action: 'buy', quantity: 10, quantityType: 'percent_of_equity', price: 50000 }, 'b--'],
      [{ action: 'buy', quantity: 50, quantityType: 'percent_of_position' }, '-p$'],
      // Reduce-only: no min cost, no maxOrderCost, so no price unless sizing needs one.
      [{ action: 'sell', quantity: 0.1, reduceOnly: true }, '-p-'],
      [{ action: 'sell', quantity: 1000, quantityType: 'quote', reduceOnly: true }, '-p$'],
      [{ action: 'long', quantity: 0.1 }, '-p$'],
      [{ action: 'short', quantity: 0.1 }, '-p$'],
      [{ action: 'reverse' }, '-p$'],
      [{ action: 'close' }, '-p-'],
      [{ action: 'close', quantity: 50, quantityType: 'percent_of_position' }, '-p-'],
      [{ sentiment: 'flat' }, '-p-'],
      [{ action: 'buy', sentiment: 'flat' }, '-p-'],
      [{ action: 'buy', sentiment: 'short', quantity: 0.1 }, '-p-'],
      [{ action: 'sell', sentiment: 'short', quantity: 0.1 }, '-p$'],
      [{ positionSize: -1 }, '-p$'],
      [{ positionSize: 0 }, '-p$'],
      [{ action: 'long', quantity: 5, quantityType: 'percent_of_equity' }, 'bp$'],
      // Refused before anything is fetched.
      [{ action: 'long', sentiment: 'short', quantity: 1 }, '---'],
    ] as const)('when %j, then it fetches %s', (fields, expected) => {
      expect(needs(fields as Partial<Alert>, BINANCE_BTC_USDM)).toBe(expected);
    });
  });

  it('when the market is inactive, then nothing is fetched (the plan is refused)', () => {
    expect(needs({ action: 'buy', quantity: 1 }, BINANCE_LUNA_SPOT)).toBe('---');
  });

  it('when the market is inactive and the action is cancel, then nothing is fetched either', () => {
    expect(needs({ action: 'cancel' }, BINANCE_LUNA_SPOT)).toBe('---');
  });
});
