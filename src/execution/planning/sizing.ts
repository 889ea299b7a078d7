import { type Market } from '../../exchange/exchange-session';
import { type PlanContext, type Rejection, reject } from './plan-types';

/**
 * Removes binary floating-point noise (`0.3 - 0.1 = 0.19999999999999998`) before amounts are truncated
 * to a step: ccxt's `amountToPrecision` truncates the decimal string, so noise would cost a whole step.
 * Twelve significant digits keep every real exchange step intact.
 */
export function clean(value: number): number {
  return Number(value.toPrecision(12));
}

export const isInverse = (market: Market): boolean => market.type !== 'spot' && market.linear === false;

/**
 * Value in quote currency of `amount` at `price`. Spot: base × price. Linear contracts:
 * contracts × contractSize × price (ccxt does not do this for us). Inverse contracts are worth
 * `contractSize` quote each (e.g. 100 USD), whatever the price.
 */
export function notional(market: Market, amount: number, price: number): number {
  if (market.type === 'spot') return amount * price;
  const contractSize = market.contractSize ?? 1;
  return isInverse(market) ? amount * contractSize : amount * contractSize * price;
}

/** The amount (base units on spot, contracts on derivatives) worth `value` quote at `price`. */
export function amountForNotional(market: Market, value: number, price: number): number {
  if (market.type === 'spot') return value / price;
  const contractSize = market.contractSize ?? 1;
  return isInverse(market) ? value / contractSize : value / (contractSize * price);
}

/** Describes an amount for a reason text: `0.5 BTC`, or `50 contracts (0.5 BTC)`. */
export function describeAmount(market: Market, amount: number): string {
  if (market.type === 'spot') return `${amount} ${market.base}`;
  if (isInverse(market))
    return `${amount} contracts (${clean(amount * (market.contractSize ?? 1))} ${market.quote})`;
  return `${amount} contracts (${clean(amount * (market.contractSize ?? 1))} ${market.base})`;
}

/**
 * The size the alert asks for, in the order's unit: base units on spot, CONTRACTS on derivatives (ccxt's
 * `amount` for contracts; base = contracts × contractSize).
 *
 * - `base`: the quantity as is. On derivatives that means contracts ("base units / contracts" in the
 *   alert contract): identical to base units where contractSize is 1 (Binance, Bybit linear), not on
 *   OKX (BTC-USDT-SWAP: 1 contract = 0.01 BTC).
 * - `quote`: quote value ÷ price (÷ contractSize for contracts).
 * - `percent_of_equity`: that percent of the FREE balance of the quote currency (spot, both sides) or of
 *   the settle currency (derivatives), used as the order's NOTIONAL — leverage is NOT applied, as in
 *   TradersPost: 10 % of 1,000 USDT is a 100 USDT position at any leverage; leverage only changes the
 *   margin it takes. A trader who wants more exposure asks for a larger percent, and a leverage change
 *   alone can never multiply the size of the next order.
 * - `percent_of_position`: that percent of `positionAbs` (contracts, or the spot holding).
 *
 * `positionAbs` is the unsigned position the percent refers to. Returns a rejection when the size cannot
 * be known (no price, no balance, no position).
 */
export function sizeOf(ctx: PlanContext, positionAbs: number): number | Rejection {
  const { alert, market } = ctx.input;
  const quantity = alert.quantity;
  if (quantity === undefined) {
    return reject(
      'quantity_required',
      `${alert.action ?? alert.sentiment} needs a quantity (aliases: amount, contracts)`,
    );
  }
  const price = ctx.refPrice;
  const needPrice = () =>
    reject('price_required', `sizing by ${alert.quantityType} needs a price: send "price": "{{close}}"`);
  switch (alert.quantityType) {
    case 'base':
      return quantity;
    case 'quote':
      return price === undefined ? needPrice() : amountForNotional(market, quantity, price);
    case 'percent_of_equity': {
      if (price === undefined) return needPrice();
      const equity = freeEquity(ctx);
      if (typeof equity !== 'number') return equity;
      return amountForNotional(market, (equity * quantity) / 100, price);
    }
    case 'percent_of_position':
      if (positionAbs <= 0) {
        return reject(
          'no_position',
          `percent_of_position needs an open position in ${market.symbol}; there is none`,
        );
      }
      return (positionAbs * quantity) / 100;
  }
}

/** Free balance, in quote currency, that percent_of_equity refers to. */
function freeEquity(ctx: PlanContext): number | Rejection {
  const { market, snapshot } = ctx.input;
  if (!snapshot.balances)
    return reject('snapshot_incomplete', 'percent_of_equity needs the balance; none was fetched');
  if (market.type === 'spot') return snapshot.balances[market.quote]?.free ?? 0;
  if (isInverse(market)) {
    // Inverse contracts are margined in the base coin: its free balance is worth balance × price quote.
    const currency = market.settle ?? market.base;
    return (snapshot.balances[currency]?.free ?? 0) * (ctx.refPrice ?? 0);
  }
  const currency = market.settle ?? market.quote;
  if (currency !== market.quote) {
    // Treating a USDC balance as USDT (or worse) would mis-size silently; no listed market needs it yet.
    return reject(
      'not_supported',
      `percent_of_equity on ${market.symbol} (settled in ${currency}, quoted in ${market.quote}) is not supported; use base or quote`,
    );
  }
  return snapshot.balances[currency]?.free ?? 0;
}
