import Decimal from 'decimal.js';

/**
 * The paper exchange's decimal arithmetic. Balances, positions and fills are exact decimals kept as strings:
 * binary floats (and Redis's HINCRBYFLOAT) accumulate noise such as `6207.70059380000022564` over many fills.
 * Forty significant digits leave room for products of prices, amounts and fee rates before rounding.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

/** Places kept for money: costs, fees, realised PnL, margins (as exchanges show quote balances). */
export const MONEY_PLACES = 8;
/** Places kept for average (entry) prices, which are quotients. */
export const PRICE_PLACES = 12;

export const ZERO = new Dec(0);

/** Parses a stored decimal string, or a number from the port (`0.1` parses as exactly 0.1). */
export function dec(value: string | number | Decimal | undefined): Decimal {
  return new Dec(value ?? 0);
}

/** Money rounded half-up to {@link MONEY_PLACES}. */
export function money(value: Decimal): Decimal {
  return value.toDecimalPlaces(MONEY_PLACES, Decimal.ROUND_HALF_UP);
}

/** The canonical stored form: plain notation, no exponent, no trailing zeros. */
export function str(value: Decimal): string {
  return value.toFixed();
}

/** A decimal as the port's number (exchanges' APIs are numbers too); exact for up to 15 significant digits. */
export function num(value: string | Decimal): number {
  return Number(typeof value === 'string' ? value : value.toFixed());
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}
