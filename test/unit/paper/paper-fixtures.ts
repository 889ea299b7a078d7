import { type OrderIntent } from '../../../src/exchange/exchange-session';
import { balanceFigures } from '../../../src/exchange/paper/balance-view';
import { dec, str } from '../../../src/exchange/paper/decimal';
import { instrumentOf, syntheticMarket } from '../../../src/exchange/paper/instruments';
import { Ledger } from '../../../src/exchange/paper/ledger';
import { observePrice } from '../../../src/exchange/paper/matching';
import { type Instrument, type PaperOrder, newBook } from '../../../src/exchange/paper/paper-book';
import { placeOrder } from '../../../src/exchange/paper/placement';

export const SPOT: Instrument = instrumentOf(syntheticMarket('BTC', 'USDT', 'spot'));
export const PERP: Instrument = instrumentOf(syntheticMarket('BTC', 'USDT', 'swap'));

/** A ledger over a fresh book holding `wallet`, with a 0.1 % fee. */
export function ledgerWith(wallet: Record<string, number>, feeRate = 0.001): Ledger {
  return new Ledger(newBook(wallet), { feeRate: dec(feeRate), now: 1_700_000_000_000 });
}

let counter = 0;

/** An order intent with a fresh client id; market buy of 1 unless told otherwise. */
export function intent(fields: Partial<OrderIntent> & { instrument?: Instrument } = {}): OrderIntent {
  const { instrument = SPOT, ...rest } = fields;
  counter += 1;
  return {
    leg: 'open',
    clientOrderId: `th${String(counter).padStart(24, '0')}open`,
    symbol: instrument.symbol,
    side: 'buy',
    type: 'market',
    amount: 1,
    ...rest,
  };
}

/** Places `fields` on `ledger` with the book's last price of the symbol as the market price. */
export function place(
  ledger: Ledger,
  fields: Partial<OrderIntent> & { instrument?: Instrument } = {},
): PaperOrder {
  const instrument = fields.instrument ?? SPOT;
  const order = intent(fields);
  return placeOrder(ledger, { intent: order, instrument, marketPrice: ledger.price(order.symbol) });
}

/** The market trades at `price`: records it and fills what it crosses. */
export function trade(ledger: Ledger, price: number, instrument: Instrument = SPOT): PaperOrder[] {
  return observePrice(ledger, instrument.symbol, dec(price));
}

/** Free, used and total of a currency as exact decimal strings. */
export function balance(ledger: Ledger, currency: string): { free: string; used: string; total: string } {
  const figure = balanceFigures(ledger.book).get(currency);
  return {
    free: str(figure?.free ?? dec(0)),
    used: str(figure?.used ?? dec(0)),
    total: str(figure?.total ?? dec(0)),
  };
}

/** The thrown error's code and message, or fails the test when nothing was thrown. */
export function refusalOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a refusal, but the call succeeded');
}
