import { PERP, balance, ledgerWith, place, trade } from './paper-fixtures';

/** Exact reference arithmetic in integers of 1e-8 (the paper exchange keeps money to 8 places). */
const UNIT = 100_000_000n;
const toUnits = (text: string): bigint => {
  const [whole, fraction = ''] = text.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * UNIT + BigInt(fraction.padEnd(8, '0')));
};
const fromUnits = (units: bigint): string => {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const fraction = (abs % UNIT).toString().padStart(8, '0').replace(/0+$/, '');
  return `${sign}${abs / UNIT}${fraction ? `.${fraction}` : ''}`;
};

/** A fixed, varied sequence: amounts on a 0.001 step, prices on a 0.1 tick, so every fee is exact at 8 places. */
function sequence(n: number): Array<{ side: 'buy' | 'sell'; amount: string; price: string }> {
  const fills: Array<{ side: 'buy' | 'sell'; amount: string; price: string }> = [];
  let seed = 7;
  for (let i = 0; i < n; i++) {
    seed = (seed * 48271) % 2147483647;
    const amount = (1 + (seed % 37)) / 1000;
    const price = (62077 + (seed % 991)) / 10;
    fills.push({ side: i % 3 === 2 ? 'sell' : 'buy', amount: amount.toFixed(3), price: price.toFixed(1) });
  }
  return fills;
}

describe('paper balances are exact decimals', () => {
  it('when 600 spot fills run, then the balances equal the exact sums (a float running total would not)', () => {
    const ledger = ledgerWith({ USDT: 100000 });
    let usdt = toUnits('100000');
    let eth = 0n;
    let floatUsdt = 100000;
    for (const fill of sequence(600)) {
      trade(ledger, Number(fill.price));
      place(ledger, { side: fill.side, amount: Number(fill.amount) });
      // cost in 1e-8: amount (3 places) × price (1 place) = 4 places; fee = cost × 0.001 = 7 places: exact.
      const cost = (toUnits(fill.amount) * toUnits(fill.price)) / UNIT;
      const fee = cost / 1000n;
      usdt += fill.side === 'buy' ? -(cost + fee) : cost - fee;
      eth += fill.side === 'buy' ? toUnits(fill.amount) : -toUnits(fill.amount);
      const floatCost = Number(fill.amount) * Number(fill.price);
      floatUsdt += fill.side === 'buy' ? -(floatCost * 1.001) : floatCost * 0.999;
    }
    expect(balance(ledger, 'USDT').total).toBe(fromUnits(usdt));
    expect(balance(ledger, 'BTC').total).toBe(fromUnits(eth));
    // The same sums in binary floats drift: the reason the book is kept in decimals.
    expect(String(floatUsdt)).not.toBe(fromUnits(usdt));
  });

  it('when 300 perpetual round trips run, then wallet and realised PnL equal the exact sums', () => {
    const ledger = ledgerWith({ USDT: 1000000 });
    let wallet = toUnits('1000000');
    let realised = 0n;
    const fills = sequence(600);
    for (let i = 0; i < fills.length; i += 2) {
      const [open, close] = [fills[i], fills[i + 1]];
      const side = i % 4 === 0 ? 'buy' : 'sell';
      trade(ledger, Number(open.price), PERP);
      place(ledger, { instrument: PERP, side, amount: Number(open.amount) });
      trade(ledger, Number(close.price), PERP);
      place(ledger, {
        instrument: PERP,
        side: side === 'buy' ? 'sell' : 'buy',
        amount: Number(open.amount),
        reduceOnly: true,
      });
      const q = toUnits(open.amount);
      const pnl = (q * (toUnits(close.price) - toUnits(open.price))) / UNIT;
      const fees = (q * toUnits(open.price)) / UNIT / 1000n + (q * toUnits(close.price)) / UNIT / 1000n;
      realised += side === 'buy' ? pnl : -pnl;
      wallet += (side === 'buy' ? pnl : -pnl) - fees;
    }
    expect(ledger.book.positions[PERP.symbol]).toEqual({
      contracts: '0',
      entryPrice: '0',
      margin: '0',
      realisedPnl: fromUnits(realised),
    });
    expect(balance(ledger, 'USDT')).toEqual({ free: fromUnits(wallet), used: '0', total: fromUnits(wallet) });
  });
});
