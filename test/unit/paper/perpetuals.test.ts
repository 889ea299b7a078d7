import { type Ledger } from '../../../src/exchange/paper/ledger';
import { type PaperPosition } from '../../../src/exchange/paper/paper-book';
import { setLeverage, setMarginMode } from '../../../src/exchange/paper/symbol-settings';
import { PERP, SPOT, balance, ledgerWith, place, refusalOf, trade } from './paper-fixtures';

const at = (ledger: Ledger, price: number) => trade(ledger, price, PERP);
const order = (ledger: Ledger, fields: Parameters<typeof place>[1]) =>
  place(ledger, { instrument: PERP, ...fields });
const position = (ledger: Ledger): PaperPosition | undefined => ledger.book.positions[PERP.symbol];

/** 10 000 USDT at 10x, BTC/USDT:USDT trading at `price`. */
function account(price = 60000, usdt = 10000, leverage = 10): Ledger {
  const ledger = ledgerWith({ USDT: usdt });
  ledger.remember(PERP);
  setLeverage(ledger, PERP, leverage);
  at(ledger, price);
  return ledger;
}

describe('paper perpetuals (linear, one-way)', () => {
  it('when a long is opened, then margin is notional ÷ leverage and the fee comes off the wallet', () => {
    const ledger = account();
    expect(order(ledger, { amount: 0.1 })).toMatchObject({ status: 'closed', cost: '6000', fee: '6' });
    expect(position(ledger)).toEqual({
      contracts: '0.1',
      entryPrice: '60000',
      margin: '600',
      realisedPnl: '0',
    });
    expect(balance(ledger, 'USDT')).toEqual({ free: '9394', used: '600', total: '9994' });
  });

  it('when a long is added to, then the entry price averages and unrealised PnL counts in the balance', () => {
    const ledger = account();
    order(ledger, { amount: 0.1 });
    at(ledger, 62000);
    order(ledger, { amount: 0.1 });
    expect(position(ledger)).toMatchObject({ contracts: '0.2', entryPrice: '61000', margin: '1220' });
    // wallet 10000 - 6 - 6.2; unrealised 0.2 × (62000 - 61000).
    expect(balance(ledger, 'USDT')).toEqual({ free: '8967.8', used: '1220', total: '10187.8' });
  });

  it('when a reduce-only sell asks for more than the long, then it is cut to the position and realises the PnL', () => {
    const ledger = account();
    order(ledger, { amount: 0.1 });
    at(ledger, 62000);
    order(ledger, { amount: 0.1 });
    at(ledger, 63000);
    const close = order(ledger, { side: 'sell', amount: 0.5, reduceOnly: true });
    expect(close).toMatchObject({ status: 'closed', amount: '0.2', filled: '0.2', fee: '12.6' });
    expect(close.note).toBe('reduce-only: 0.5 asked, the position held 0.2');
    expect(position(ledger)).toEqual({ contracts: '0', entryPrice: '0', margin: '0', realisedPnl: '400' });
    expect(balance(ledger, 'USDT')).toEqual({ free: '10375.2', used: '0', total: '10375.2' });
  });

  it('when a reduce-only order would not reduce, then it is refused (flat, or the same side)', () => {
    const ledger = account();
    expect(refusalOf(() => order(ledger, { side: 'sell', amount: 0.1, reduceOnly: true }))).toEqual({
      code: 'invalid_order',
      message: 'paper: reduce-only sell of 0.1 would not reduce the position (0 contracts); refused',
    });
    order(ledger, { amount: 0.1 });
    expect(refusalOf(() => order(ledger, { amount: 0.1, reduceOnly: true })).code).toBe('invalid_order');
  });

  it('when a sell is larger than the long and not reduce-only, then it closes the long and opens a short', () => {
    const ledger = account();
    order(ledger, { amount: 0.1 });
    at(ledger, 59000);
    order(ledger, { side: 'sell', amount: 0.3 });
    // Realised 0.1 × (59000 - 60000); fees 6 + 0.3 × 59000 × 0.1 %.
    expect(position(ledger)).toEqual({
      contracts: '-0.2',
      entryPrice: '59000',
      margin: '1180',
      realisedPnl: '-100',
    });
    expect(balance(ledger, 'USDT').total).toBe('9876.3');
  });

  it('when a short is closed lower, then its profit is realised to the settle balance', () => {
    const ledger = account(59000);
    order(ledger, { side: 'sell', amount: 0.2 });
    at(ledger, 58000);
    order(ledger, { amount: 0.2, reduceOnly: true });
    expect(position(ledger)).toMatchObject({ contracts: '0', realisedPnl: '200' });
    // 10000 - 11.8 (open fee) + 200 - 11.6 (close fee).
    expect(balance(ledger, 'USDT')).toEqual({ free: '10176.6', used: '0', total: '10176.6' });
  });

  it('when the margin is too low, then the refusal says what is free, what is needed and at what leverage', () => {
    const ledger = account(65000, 120.5);
    expect(refusalOf(() => order(ledger, { amount: 0.1 }))).toEqual({
      code: 'insufficient_funds',
      message: 'paper margin too low: 120.5 USDT free, order needs 656.5 USDT at 10x (fee included)',
    });
  });

  it('when the price falls under a long, then the unrealised loss is no longer free', () => {
    const ledger = account();
    order(ledger, { amount: 0.1 });
    at(ledger, 50000);
    expect(balance(ledger, 'USDT')).toEqual({ free: '8394', used: '600', total: '8994' });
  });

  it('when a limit rests on a perpetual, then it holds margin and fee, and fills into the position', () => {
    const ledger = account();
    order(ledger, { type: 'limit', price: 59000, amount: 0.1 });
    expect(balance(ledger, 'USDT')).toEqual({ free: '9404.1', used: '595.9', total: '10000' });
    at(ledger, 58000);
    expect(position(ledger)).toMatchObject({ contracts: '0.1', entryPrice: '59000', margin: '590' });
    // Valued at 58000 now: unrealised -100.
    expect(balance(ledger, 'USDT')).toEqual({ free: '9304.1', used: '590', total: '9894.1' });
  });

  describe('IOC and FOK against the position', () => {
    it('when a reduce-only IOC asks for more than the position, then it fills the position and expires the rest', () => {
      const ledger = account();
      order(ledger, { amount: 0.1 });
      const ioc = order(ledger, {
        side: 'sell',
        type: 'limit',
        price: 59000,
        amount: 0.3,
        reduceOnly: true,
        timeInForce: 'IOC',
      });
      expect(ioc).toMatchObject({ status: 'expired', amount: '0.3', filled: '0.1', average: '60000' });
      expect(position(ledger)?.contracts).toBe('0');
    });

    it('when a reduce-only FOK asks for more than the position, then nothing fills', () => {
      const ledger = account();
      order(ledger, { amount: 0.1 });
      const fok = order(ledger, {
        side: 'sell',
        type: 'limit',
        price: 59000,
        amount: 0.3,
        reduceOnly: true,
        timeInForce: 'FOK',
      });
      expect(fok).toMatchObject({ status: 'expired', filled: '0' });
      expect(position(ledger)?.contracts).toBe('0.1');
    });
  });

  describe('take-profit and stop-loss triggers', () => {
    const protectedLong = () => {
      const ledger = account();
      order(ledger, { amount: 0.1 });
      const tp = order(ledger, {
        leg: 'tp',
        side: 'sell',
        type: 'take_profit_market',
        triggerPrice: 66000,
        amount: 0.1,
        reduceOnly: true,
      });
      const sl = order(ledger, {
        leg: 'sl',
        side: 'sell',
        type: 'stop_market',
        triggerPrice: 57000,
        amount: 0.1,
        reduceOnly: true,
      });
      return { ledger, tp, sl };
    };

    it('when TP and SL rest, then they hold no funds and wait for their triggers', () => {
      const { ledger, tp, sl } = protectedLong();
      expect([tp.status, sl.status]).toEqual(['open', 'open']);
      expect(balance(ledger, 'USDT').used).toBe('600');
      expect(at(ledger, 58000)).toEqual([]);
      expect(at(ledger, 65999)).toEqual([]);
    });

    it('when the price falls through the stop, then it fills at the trigger price and the TP is canceled', () => {
      const { ledger, tp, sl } = protectedLong();
      const filled = at(ledger, 56500);
      expect(filled).toEqual([
        expect.objectContaining({ clientOrderId: sl.clientOrderId, status: 'closed' }),
      ]);
      expect(filled[0]).toMatchObject({ average: '57000', filled: '0.1' });
      expect(position(ledger)).toMatchObject({ contracts: '0', realisedPnl: '-300' });
      expect(ledger.changed.get(tp.clientOrderId)).toMatchObject({ status: 'canceled' });
      expect(ledger.book.open).toEqual({});
    });

    it('when the price rises through the take-profit, then it fills at its trigger and the stop is canceled', () => {
      const { ledger, tp, sl } = protectedLong();
      expect(at(ledger, 67000)).toEqual([
        expect.objectContaining({ clientOrderId: tp.clientOrderId, average: '66000' }),
      ]);
      expect(position(ledger)?.realisedPnl).toBe('600');
      expect(ledger.changed.get(sl.clientOrderId)).toMatchObject({ status: 'canceled' });
    });

    it('when the position is reversed, then the exits of the old side are canceled', () => {
      const { ledger, tp, sl } = protectedLong();
      order(ledger, { side: 'sell', amount: 0.3 });
      expect(position(ledger)?.contracts).toBe('-0.2');
      const statuses = [tp, sl].map((o) => ledger.changed.get(o.clientOrderId)?.status);
      expect(statuses).toEqual(['canceled', 'canceled']);
      expect(at(ledger, 50000)).toEqual([]);
    });

    it('when a stop would trigger at once, then it is refused like Binance does', () => {
      const ledger = account();
      order(ledger, { amount: 0.1 });
      const refused = refusalOf(() =>
        order(ledger, {
          side: 'sell',
          type: 'stop_market',
          triggerPrice: 61000,
          amount: 0.1,
          reduceOnly: true,
        }),
      );
      expect(refused).toEqual({
        code: 'invalid_order',
        message: 'paper: stop_market sell at 61000 would trigger immediately (last price 60000)',
      });
    });

    it('when one move crosses several exits, then they fill in the order the price reached them', () => {
      const ledger = account();
      order(ledger, { amount: 0.1 });
      const limit = order(ledger, {
        side: 'sell',
        type: 'limit',
        price: 61000,
        amount: 0.05,
        reduceOnly: true,
      });
      const tp = order(ledger, {
        side: 'sell',
        type: 'take_profit_market',
        triggerPrice: 62000,
        amount: 0.1,
        reduceOnly: true,
      });
      const filled = at(ledger, 63000);
      expect(filled.map((o) => [o.clientOrderId, o.average, o.filled])).toEqual([
        [limit.clientOrderId, '61000', '0.05'],
        [tp.clientOrderId, '62000', '0.05'],
      ]);
      expect(filled[1].note).toBe('reduce-only: filled 0.05 of 0.1, all the position held');
      expect(position(ledger)?.realisedPnl).toBe('150');
    });
  });

  describe('leverage and margin mode', () => {
    it('when leverage is lowered on an open position, then its margin grows, or the change is refused', () => {
      const ledger = account(60000, 700);
      order(ledger, { amount: 0.1 });
      expect(refusalOf(() => setLeverage(ledger, PERP, 2))).toEqual({
        code: 'insufficient_funds',
        message:
          'paper margin too low: 94 USDT free, the open BTC/USDT:USDT position needs 2400 USDT more at 2x',
      });
      const rich = account();
      order(rich, { amount: 0.1 });
      setLeverage(rich, PERP, 2);
      expect(position(rich)?.margin).toBe('3000');
    });

    it('when leverage is out of range or the market is spot, then it is refused', () => {
      const ledger = account();
      expect(refusalOf(() => setLeverage(ledger, PERP, 0.5)).code).toBe('bad_request');
      expect(refusalOf(() => setLeverage(ledger, PERP, 126)).code).toBe('bad_request');
      expect(refusalOf(() => setLeverage(ledger, SPOT, 5))).toEqual({
        code: 'not_supported',
        message: 'paper: leverage applies to contracts; BTC/USDT is spot',
      });
    });

    it('when the margin mode changes with a position open, then it is refused; the same mode is fine', () => {
      const ledger = account();
      setMarginMode(ledger, PERP, 'isolated');
      order(ledger, { amount: 0.1 });
      setMarginMode(ledger, PERP, 'isolated');
      expect(refusalOf(() => setMarginMode(ledger, PERP, 'cross')).message).toBe(
        'paper: the margin mode of BTC/USDT:USDT cannot change from isolated to cross while it has a position',
      );
      expect(ledger.book.settings[PERP.symbol]).toEqual({ leverage: 10, marginMode: 'isolated' });
    });
  });
});
