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
 * `amount` for contracts).
 *
 * - `base`: base-currency units on every market. On contract markets they are converted with the market's
 *   contract size: linear contracts hold `contractSize` base each (OKX BTC-USDT-SWAP: 0.01 BTC), inverse
 *   contracts are worth `contractSize` quote each (Binance COIN-M BTCUSD_PERP: 100 USD), so converting
 *   needs a price. A note says so whenever the two units differ.
 * - `contracts`: the exchange's contracts as they are (base units on spot, which has no contracts).
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
      return market.type === 'spot' ? quantity : contractsForBase(ctx, quantity, 'quantity');
    case 'contracts':
      return quantity;
    case 'quote':
      return price === undefined ? needPrice() : amountForNotional(market, quantity, price);
    case 'percent_of_equity': {
      if (price === undefined) return needPrice();
      const equity = freeEquity(ctx);
      if (typeof equity !== 'number') return equity;
      if (!(equity > 0)) {
        const currency = isInverse(market) ? (market.settle ?? market.base) : (market.settle ?? market.quote);
        return reject(
          'insufficient_balance',
          `balance too low: 0 ${currency} free, percent_of_equity needs some`,
        );
      }
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

/**
 * Contracts for `base` units of the base currency on a contract market, with a note when the units differ
 * (`field` names what was converted: `quantity`, `positionSize`). Signed amounts keep their sign.
 */
export function contractsForBase(ctx: PlanContext, base: number, field: string): number | Rejection {
  const { market } = ctx.input;
  const contractSize = market.contractSize ?? 1;
  if (!isInverse(market)) {
    const contracts = clean(base / contractSize);
    if (contractSize !== 1) {
      ctx.notes.push(
        `${field} ${base} ${market.base} = ${contracts} contracts (1 contract = ${contractSize} ${market.base})`,
      );
    }
    return contracts;
  }
  if (ctx.refPrice === undefined) {
    return reject(
      'price_required',
      `${field} in ${market.base} on an inverse market (contracts of ${contractSize} ${market.quote}) needs a price: send "price": "{{close}}", or quantityType "contracts"`,
    );
  }
  const contracts = clean((base * ctx.refPrice) / contractSize);
  ctx.notes.push(
    `${field} ${base} ${market.base} at ${ctx.refPrice} = ${contracts} contracts (1 contract = ${contractSize} ${market.quote})`,
  );
  return contracts;
}

/**
 * A `positionSize` target in the order's unit. It is a position, so it is measured like one: base units
 * (converted to contracts on contract markets, see {@link contractsForBase}), or contracts as they are with
 * `quantityType: contracts`. A quote value or a percent cannot be a position: refused.
 */
export function targetInOrderUnits(ctx: PlanContext, target: number): number | Rejection {
  const { alert, market } = ctx.input;
  switch (alert.quantityType) {
    case 'base':
      return market.type === 'spot' ? target : contractsForBase(ctx, target, 'positionSize');
    case 'contracts':
      return target;
    case 'quote':
    case 'percent_of_equity':
    case 'percent_of_position':
      return reject(
        'invalid_quantity_type',
        `positionSize is a position in ${market.base} (or in contracts with quantityType "contracts"); quantityType "${alert.quantityType}" cannot measure it`,
      );
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
