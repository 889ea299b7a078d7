import { type OrderIntent } from '../../exchange/exchange-session';
import { type Exit } from '../../signals/alert';
import { clientOrderId } from './client-order-id';
import { type PlanContext, type Rejection, isRejection, reject } from './plan-types';

interface ExitPrices {
  takeProfit?: number;
  stopLoss?: number;
}

/** The entry order with its take-profit / stop-loss, and any separate exit orders to place after it. */
export interface WithExits {
  entry: OrderIntent;
  exits: OrderIntent[];
}

/**
 * Adds the alert's take-profit and stop-loss to the entry (the opening leg).
 *
 * Prices: `{ price }` as given, `{ percent }` from the entry's price (its limit price, else the reference
 * price a market order is expected to fill near); both go through price precision. For a long the TP must
 * lie above that price and the SL below it (opposite for a short); otherwise the signal is refused, since
 * an exit on the wrong side would trigger at once.
 *
 * Placement: attached to the entry (`takeProfitPrice`/`stopLossPrice`) where the exchange supports it.
 * Otherwise, on derivatives, as reduce-only trigger orders (`take_profit_market`, `stop_market`) for the
 * entry's amount after a MARKET entry. Refused instead:
 * - after a LIMIT entry: reduce-only triggers placed before the entry fills would either be refused by the
 *   exchange or, worse, linger and later close a position opened by another signal;
 * - on spot: there is no reduce-only, each separate sell would lock the whole amount (so TP and SL cannot
 *   both rest without OCO), and a fee paid in the base coin leaves less than the bought amount to sell.
 *   Refusing up front is safer than buying and then failing to protect the position.
 */
export function withExits(entry: OrderIntent, ctx: PlanContext): WithExits | Rejection {
  const { alert, capabilities } = ctx.input;
  if (!alert.takeProfit && !alert.stopLoss) return { entry, exits: [] };
  const prices = exitPrices(entry, ctx);
  if (isRejection(prices)) return prices;
  if (capabilities.attachedTpSl) {
    return {
      entry: {
        ...entry,
        ...(prices.takeProfit !== undefined ? { takeProfitPrice: prices.takeProfit } : {}),
        ...(prices.stopLoss !== undefined ? { stopLossPrice: prices.stopLoss } : {}),
      },
      exits: [],
    };
  }
  if (!ctx.derivative) {
    return reject(
      'tp_sl_not_supported',
      'this exchange cannot attach takeProfit/stopLoss to a spot order, and separate spot exit orders cannot be made safe (no reduce-only, no OCO); send exits as separate sell alerts',
    );
  }
  if (entry.type !== 'market') {
    return reject(
      'tp_sl_not_supported',
      'this exchange cannot attach takeProfit/stopLoss to an order, and separate exit orders are only placed after a market entry; use a market order or send exits as separate alerts',
    );
  }
  const exitSide = entry.side === 'buy' ? 'sell' : 'buy';
  const trigger = (leg: 'tp' | 'sl', triggerPrice: number): OrderIntent => ({
    leg,
    clientOrderId: clientOrderId(ctx.input.signalId, leg),
    symbol: entry.symbol,
    side: exitSide,
    type: leg === 'tp' ? 'take_profit_market' : 'stop_market',
    amount: entry.amount,
    triggerPrice,
    reduceOnly: true,
  });
  const exits: OrderIntent[] = [];
  if (prices.takeProfit !== undefined) exits.push(trigger('tp', prices.takeProfit));
  if (prices.stopLoss !== undefined) exits.push(trigger('sl', prices.stopLoss));
  return { entry, exits };
}

function exitPrices(entry: OrderIntent, ctx: PlanContext): ExitPrices | Rejection {
  const { alert, market, precision } = ctx.input;
  const base = entry.price ?? ctx.refPrice;
  if (base === undefined) {
    return reject(
      'price_required',
      'takeProfit/stopLoss need a price to measure from: send "price": "{{close}}"',
    );
  }
  const long = entry.side === 'buy';
  const result: ExitPrices = {};
  for (const [name, exit, above] of [
    ['takeProfit', alert.takeProfit, long],
    ['stopLoss', alert.stopLoss, !long],
  ] as const) {
    if (!exit) continue;
    const raw = exitPrice(exit, base, above);
    const price = raw > 0 ? precision.price(market.symbol, raw) : raw;
    const side = long ? 'long' : 'short';
    if (!(price > 0) || (above ? price <= base : price >= base)) {
      return reject(
        'tp_sl_wrong_side',
        `${name} ${price} for a ${side} entry at ${base} must be ${above ? 'above' : 'below'} it${price > 0 ? '' : ' and above 0'}`,
      );
    }
    result[name] = price;
  }
  return result;
}

/** An absolute price, or `percent` away from `base` in the profitable (`above`) or losing direction. */
function exitPrice(exit: Exit, base: number, above: boolean): number {
  if ('price' in exit) return exit.price;
  return base * (1 + ((above ? 1 : -1) * exit.percent) / 100);
}
