import { type Balances } from '../exchange-session';
import { type Dec, ZERO, dec, money, num } from './decimal';
import { type PaperBook } from './paper-book';

export interface BalanceFigures {
  /** Wallet plus unrealised PnL of the positions settled in this currency. */
  total: Dec;
  /** Margin of positions plus funds reserved by resting orders. */
  used: Dec;
  /** `total - used`; negative when losses ate into the margin (nothing is liquidated). */
  free: Dec;
}

/**
 * Balances as an exchange reports them, derived from the book rather than stored, so that reservations and
 * margin can never drift from the orders and positions that hold them. Unrealised PnL is valued at the last
 * price seen for the symbol (not counted while none is known).
 */
export function balanceFigures(book: PaperBook): Map<string, BalanceFigures> {
  const figures = new Map<string, BalanceFigures>();
  const entry = (currency: string): BalanceFigures => {
    let found = figures.get(currency);
    if (!found) {
      found = { total: ZERO, used: ZERO, free: ZERO };
      figures.set(currency, found);
    }
    return found;
  };
  for (const [currency, amount] of Object.entries(book.wallet)) entry(currency).total = dec(amount);
  for (const [symbol, position] of Object.entries(book.positions)) {
    const contracts = dec(position.contracts);
    const instrument = book.instruments[symbol];
    if (contracts.isZero() || !instrument) continue;
    const figure = entry(instrument.settle);
    figure.used = figure.used.plus(position.margin);
    const price = book.prices[symbol];
    if (price !== undefined) {
      const unrealised = contracts
        .times(instrument.contractSize)
        .times(dec(price).minus(position.entryPrice));
      figure.total = figure.total.plus(money(unrealised));
    }
  }
  for (const order of Object.values(book.open)) {
    if (!order.reserved) continue;
    const figure = entry(order.reserved.currency);
    figure.used = figure.used.plus(order.reserved.amount);
  }
  for (const figure of figures.values()) figure.free = figure.total.minus(figure.used);
  return figures;
}

/** The port's view: numbers, free never below 0. */
export function toBalances(book: PaperBook): Balances {
  const balances: Balances = {};
  for (const [currency, figure] of balanceFigures(book)) {
    const free = figure.free.isNegative() ? ZERO : figure.free;
    balances[currency] = { free: num(free), used: num(figure.used), total: num(figure.total) };
  }
  return balances;
}
