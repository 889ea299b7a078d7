/**
 * Tick-size rounding as ccxt does it in TICK_SIZE precision mode: amounts are truncated (never round a
 * size up past what the trader asked or can pay), prices rounded to the nearest tick. Used when the
 * session offers no exchange-specific implementation (the offline paper exchange).
 */
export function truncateToStep(value: number, step: number | undefined): number {
  if (!step || step <= 0) return value;
  const decimals = stepDecimals(step);
  const steps = Math.floor(value / step + 1e-9);
  return Number((steps * step).toFixed(decimals));
}

export function roundToStep(value: number, step: number | undefined): number {
  if (!step || step <= 0) return value;
  return Number((Math.round(value / step) * step).toFixed(stepDecimals(step)));
}

function stepDecimals(step: number): number {
  if (step >= 1) return 0;
  const text = step.toExponential();
  const exponent = Number(text.split('e')[1]);
  const mantissaDecimals = (text.split('e')[0].split('.')[1] ?? '').length;
  return Math.max(0, -exponent + mantissaDecimals);
}

/** Rounds sizes and prices to a market's rules. */
export interface Precision {
  amount(symbol: string, amount: number): number;
  price(symbol: string, price: number): number;
}
