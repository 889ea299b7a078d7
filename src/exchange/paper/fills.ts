import { type OrderSide } from '../exchange-session';
import { type Dec, Dec as D, PRICE_PLACES, ZERO, dec, minDec, money, str } from './decimal';
import { type Ledger } from './ledger';
import { type Instrument } from './paper-book';

export interface Fill {
  instrument: Instrument;
  side: OrderSide;
  /** Base units on spot, contracts on linear contracts. */
  amount: Dec;
  price: Dec;
}

export interface FillResult {
  /** Quote value of the fill, rounded to money places. */
  cost: Dec;
  /** Charged in the settle (quote) currency. */
  fee: Dec;
}

/** Quote value of `amount` at `price`: base × price on spot, contracts × contract size × price on contracts. */
export function notionalOf(instrument: Instrument, amount: Dec, price: Dec): Dec {
  return money(amount.times(instrument.contractSize).times(price));
}

export function feeOf(ledger: Ledger, notional: Dec): Dec {
  return money(notional.times(ledger.rules.feeRate));
}

/**
 * Books a fill: on spot it moves base and quote (the buyer pays the fee on top, the seller receives the proceeds
 * less the fee); on linear contracts it moves the position and pays fee and realised PnL in the settle currency.
 * Checks nothing: placement checked the funds, or reserved them while the order rested.
 */
export function applyFill(ledger: Ledger, fill: Fill): FillResult {
  const cost = notionalOf(fill.instrument, fill.amount, fill.price);
  const fee = feeOf(ledger, cost);
  const { base, settle } = fill.instrument;
  if (fill.instrument.kind === 'linear') {
    applyToPosition(ledger, fill);
    ledger.credit(settle, fee.negated());
  } else if (fill.side === 'buy') {
    ledger.credit(settle, cost.plus(fee).negated());
    ledger.creditExact(base, fill.amount);
  } else {
    ledger.creditExact(base, fill.amount.negated());
    ledger.credit(settle, cost.minus(fee));
  }
  return { cost, fee };
}

/**
 * One-way position accounting: a fill against the position first reduces it (realising PnL against the entry
 * price and releasing its share of margin), and whatever exceeds the position opens the other side at the fill
 * price. A fill with the position averages the entry price.
 */
function applyToPosition(ledger: Ledger, fill: Fill): void {
  const { symbol, contractSize, settle } = fill.instrument;
  const position = ledger.position(symbol);
  let contracts = dec(position.contracts);
  let entry = dec(position.entryPrice);
  let margin = dec(position.margin);
  let realisedPnl = dec(position.realisedPnl);
  const direction = fill.side === 'buy' ? 1 : -1;

  let closing = ZERO;
  const held = contracts.isNegative() ? -1 : 1;
  if (!contracts.isZero() && held !== direction) {
    closing = minDec(fill.amount, contracts.abs());
    const realised = money(closing.times(contractSize).times(fill.price.minus(entry)).times(held));
    const released = closing.equals(contracts.abs())
      ? margin
      : money(margin.times(closing).div(contracts.abs()));
    ledger.credit(settle, realised);
    realisedPnl = realisedPnl.plus(realised);
    margin = margin.minus(released);
    contracts = contracts.plus(closing.times(direction));
    if (contracts.isZero()) {
      entry = ZERO;
      margin = ZERO;
    }
  }
  const opening = fill.amount.minus(closing);
  if (opening.greaterThan(0)) {
    const size = contracts.abs();
    entry = size
      .times(entry)
      .plus(opening.times(fill.price))
      .div(size.plus(opening))
      .toDecimalPlaces(PRICE_PLACES, D.ROUND_HALF_UP);
    const leverage = ledger.settings(symbol).leverage;
    margin = margin.plus(money(opening.times(contractSize).times(fill.price).div(leverage)));
    contracts = contracts.plus(opening.times(direction));
  }
  ledger.book.positions[symbol] = {
    contracts: str(contracts),
    entryPrice: str(entry),
    margin: str(margin),
    realisedPnl: str(money(realisedPnl)),
  };
}
