import type { Market, OrderIntent } from '../exchange-session';
import { ExchangeError } from '../errors/exchange-error';

/** The arguments of ccxt's unified `createOrder(symbol, type, side, amount, price, params)`. */
export interface CcxtOrderArgs {
  symbol: string;
  type: 'market' | 'limit';
  side: 'buy' | 'sell';
  amount: number;
  price: number | undefined;
  params: Record<string, unknown>;
}

/**
 * Maps an {@link OrderIntent} to ccxt's unified createOrder call. Pure; rejects intents the exchange cannot
 * carry out with a permanent ExchangeError BEFORE anything is sent.
 *
 * - `clientOrderId` → ccxt's unified `clientOrderId` (Binance `newClientOrderId`/`clientAlgoId`, Bybit
 *   `orderLinkId`, OKX `clOrdId`).
 * - Market orders never pass a price: the intent's price is only a reference, and ccxt would turn it into a
 *   quote-currency size on Binance spot (`quoteOrderQty`) and Bybit spot (`marketUnit: quoteCoin`).
 * - `reduceOnly` is sent for contracts only: spot has no position to reduce, and Binance spot rejects it.
 * - `stop_market` / `take_profit_market` are market orders with ccxt's `stopLossPrice` / `takeProfitPrice`
 *   (ccxt picks STOP_MARKET / TAKE_PROFIT_MARKET on Binance futures, STOP_LOSS / TAKE_PROFIT on spot, a
 *   trigger with the right direction on Bybit).
 * - attached `takeProfitPrice` / `stopLossPrice` → ccxt's `takeProfit` / `stopLoss` objects, only where
 *   `attachedTpSl` says the exchange supports it on this market.
 */
export function toCcxtOrderArgs(intent: OrderIntent, market: Market, attachedTpSl: boolean): CcxtOrderArgs {
  const params: Record<string, unknown> = { clientOrderId: intent.clientOrderId };
  const contract = market.type !== 'spot';
  let type: 'market' | 'limit';
  let price: number | undefined;

  switch (intent.type) {
    case 'limit':
      if (intent.price === undefined) throw invalid(intent, 'a limit order needs a price');
      type = 'limit';
      price = intent.price;
      break;
    case 'market':
      type = 'market';
      break;
    case 'stop_market':
    case 'take_profit_market':
      if (intent.triggerPrice === undefined)
        throw invalid(intent, `a ${intent.type} order needs a triggerPrice`);
      type = 'market';
      params[intent.type === 'stop_market' ? 'stopLossPrice' : 'takeProfitPrice'] = intent.triggerPrice;
      break;
  }

  if (intent.reduceOnly && contract) params.reduceOnly = true;
  if (intent.postOnly) {
    if (type !== 'limit') throw invalid(intent, 'postOnly needs a limit order');
    params.postOnly = true;
  }
  // Post-only IS the time in force (Binance LIMIT_MAKER / GTX): also sending GTC would make ccxt drop the
  // post-only flag on USDⓈ-M, and Binance spot refuses LIMIT_MAKER with a timeInForce.
  if (intent.timeInForce && !intent.postOnly) params.timeInForce = intent.timeInForce;

  if (intent.takeProfitPrice !== undefined || intent.stopLossPrice !== undefined) {
    if (!attachedTpSl) {
      throw new ExchangeError(
        `${market.symbol}: this exchange cannot attach take-profit/stop-loss to an order; place them as separate orders`,
        { code: 'not_supported', kind: 'permanent', details: { clientOrderId: intent.clientOrderId } },
      );
    }
    if (intent.takeProfitPrice !== undefined) params.takeProfit = { triggerPrice: intent.takeProfitPrice };
    if (intent.stopLossPrice !== undefined) params.stopLoss = { triggerPrice: intent.stopLossPrice };
  }

  return { symbol: market.symbol, type, side: intent.side, amount: intent.amount, price, params };
}

function invalid(intent: OrderIntent, reason: string): ExchangeError {
  return new ExchangeError(`${intent.symbol} ${intent.leg}: ${reason}`, {
    code: 'invalid_order',
    kind: 'permanent',
    details: { clientOrderId: intent.clientOrderId },
  });
}
