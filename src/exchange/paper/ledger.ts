import { type Dec, dec, money, str } from './decimal';
import {
  DEFAULT_SETTINGS,
  type Instrument,
  type PaperBook,
  type PaperOrder,
  type PaperPosition,
  type SymbolSettings,
} from './paper-book';

/** The rules every change to a book follows. */
export interface LedgerRules {
  /** Fee rate charged on every fill's value, in the settle (quote) currency. */
  feeRate: Dec;
  /** Epoch milliseconds stamped on changed orders. */
  now: number;
}

/**
 * A working copy of a book inside one transaction: the pure functions that place, match and fill orders change
 * it, and it collects every order they changed so that the store writes them with the book, atomically.
 */
export class Ledger {
  readonly changed = new Map<string, PaperOrder>();

  constructor(
    readonly book: PaperBook,
    readonly rules: LedgerRules,
  ) {}

  /** Saves an order's new state: resting orders stay in the book, ended ones leave it. */
  save(order: PaperOrder): PaperOrder {
    order.updatedAt = this.rules.now;
    if (order.status === 'open') this.book.open[order.clientOrderId] = order;
    else delete this.book.open[order.clientOrderId];
    this.changed.set(order.clientOrderId, order);
    return order;
  }

  wallet(currency: string): Dec {
    return dec(this.book.wallet[currency]);
  }

  /** Adds `delta` (money: rounded to its places) to a wallet balance. */
  credit(currency: string, delta: Dec): void {
    this.book.wallet[currency] = str(money(this.wallet(currency).plus(delta)));
  }

  /** Adds an exact amount of a base currency (amounts come already on the market's step). */
  creditExact(currency: string, delta: Dec): void {
    this.book.wallet[currency] = str(this.wallet(currency).plus(delta));
  }

  position(symbol: string): PaperPosition {
    return this.book.positions[symbol] ?? { contracts: '0', entryPrice: '0', margin: '0', realisedPnl: '0' };
  }

  settings(symbol: string): SymbolSettings {
    return this.book.settings[symbol] ?? DEFAULT_SETTINGS;
  }

  price(symbol: string): Dec | undefined {
    const price = this.book.prices[symbol];
    return price === undefined ? undefined : dec(price);
  }

  remember(instrument: Instrument): void {
    this.book.instruments[instrument.symbol] = instrument;
  }

  instrument(symbol: string): Instrument {
    const instrument = this.book.instruments[symbol];
    if (!instrument) throw new Error(`paper book has no instrument ${symbol}`);
    return instrument;
  }

  nextSeq(): number {
    this.book.seq += 1;
    return this.book.seq;
  }
}
