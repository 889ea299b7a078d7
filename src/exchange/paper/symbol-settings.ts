import { ZERO, dec, money, str } from './decimal';
import { balanceFigures } from './balance-view';
import { type Ledger } from './ledger';
import { type Instrument, type MarginMode, openOrdersOf } from './paper-book';
import { refusal } from './refusals';

/** The highest leverage the simulator accepts (Binance's and Bybit's ceiling for BTC). */
export const MAX_LEVERAGE = 125;

/**
 * Sets a symbol's leverage. An open position's margin follows at once (contracts × size × entry ÷ leverage);
 * lowering the leverage is refused when the free balance cannot carry the larger margin.
 */
export function setLeverage(ledger: Ledger, instrument: Instrument, leverage: number): void {
  requireContracts(instrument, 'leverage');
  if (!(leverage >= 1 && leverage <= MAX_LEVERAGE)) {
    throw refusal('bad_request', `paper: leverage ${leverage} must lie between 1 and ${MAX_LEVERAGE}`);
  }
  const current = ledger.settings(instrument.symbol);
  if (current.leverage === leverage) return;
  const settle = instrument.settle;
  const before = balanceFigures(ledger.book).get(settle)?.free ?? ZERO;
  ledger.book.settings[instrument.symbol] = { ...current, leverage };
  const position = ledger.book.positions[instrument.symbol];
  if (position && !dec(position.contracts).isZero()) {
    const notional = dec(position.contracts).abs().times(instrument.contractSize).times(position.entryPrice);
    position.margin = str(money(notional.div(leverage)));
  }
  const after = balanceFigures(ledger.book).get(settle)?.free ?? ZERO;
  if (after.isNegative() && after.lessThan(before)) {
    throw refusal(
      'insufficient_funds',
      `paper margin too low: ${str(before.isNegative() ? ZERO : before)} ${settle} free, the open ${instrument.symbol} position needs ${str(before.minus(after))} ${settle} more at ${leverage}x`,
    );
  }
}

/**
 * Sets a symbol's margin mode. Like Binance (-4047, -4048), the mode cannot change while the symbol has a
 * position or resting orders; setting the mode it already has is fine.
 */
export function setMarginMode(ledger: Ledger, instrument: Instrument, marginMode: MarginMode): void {
  requireContracts(instrument, 'margin mode');
  const current = ledger.settings(instrument.symbol);
  if (current.marginMode === marginMode) return;
  const held = !dec(ledger.position(instrument.symbol).contracts).isZero();
  if (held || openOrdersOf(ledger.book, instrument.symbol).length > 0) {
    throw refusal(
      'invalid_order',
      `paper: the margin mode of ${instrument.symbol} cannot change from ${current.marginMode} to ${marginMode} while it has ${held ? 'a position' : 'open orders'}`,
    );
  }
  ledger.book.settings[instrument.symbol] = { ...current, marginMode };
}

function requireContracts(instrument: Instrument, what: string): void {
  if (instrument.kind !== 'linear') {
    throw refusal('not_supported', `paper: ${what} applies to contracts; ${instrument.symbol} is spot`);
  }
}
