import { AppError } from '../../errors/app-error';
import { ExchangeError, type ExchangeErrorCode } from '../errors/exchange-error';

/**
 * An order the paper exchange refuses, as a real exchange would (the signal fails with this message). Codes are
 * the ones ccxt errors translate to, so a paper account fails exactly where a live one would.
 */
export function refusal(code: ExchangeErrorCode, message: string): ExchangeError {
  return new ExchangeError(message, { code, kind: 'permanent' });
}

/** The offline simulator has no price feed: a market order or sizing needs the alert's price. */
export function priceRequired(symbol: string): AppError {
  return new AppError(
    `the offline paper exchange knows no price for ${symbol} yet: send "price": "{{close}}" in the alert`,
    { code: 'price_required', kind: 'permanent' },
  );
}
