/**
 * Rounding with the exchange's own rules (ccxt's `amountToPrecision` / `priceToPrecision`: amounts are
 * truncated to the step size, prices rounded to the tick size). Planning needs it before checking min amount
 * and min cost. A candidate for the `ExchangeSession` port; kept separate until the port adopts it.
 */
export interface PrecisionAware {
  /**
   * The amount truncated to the market's step size. Throws a permanent `invalid_order` ExchangeError when the
   * result would be zero (below one step). Markets must be loaded (`markets()` or `warmUp()`) first.
   */
  amountToPrecision(symbol: string, amount: number): number;
  /** The price rounded to the market's tick size. Markets must be loaded first. */
  priceToPrecision(symbol: string, price: number): number;
}

/** Type guard for sessions that can round with exchange rules. */
export function isPrecisionAware(value: unknown): value is PrecisionAware {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PrecisionAware).amountToPrecision === 'function' &&
    typeof (value as PrecisionAware).priceToPrecision === 'function'
  );
}
