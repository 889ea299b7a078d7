import type { Exchange } from 'ccxt';
import type { ExchangeCapabilities, Market } from '../exchange-session';
import type { ExchangeTraits } from './exchange-traits';

/** The slice of ccxt's `exchange.features` tradehook reads (ccxt ships no type for it). */
interface CreateOrderFeatures {
  attachedStopLossTakeProfit?: unknown;
}
interface MarketFeatures {
  createOrder?: CreateOrderFeatures;
  extends?: string;
}

/**
 * Whether take-profit / stop-loss can be ATTACHED to an order on this market. ccxt describes it in
 * `features[spot|swap.linear|…].createOrder.attachedStopLossTakeProfit`; `takeProfitPrice`/`stopLossPrice`
 * there mean something else (a standalone trigger order, which e.g. Binance supports but cannot attach).
 */
export function supportsAttachedTpSl(exchange: Exchange, market: Pick<Market, 'type' | 'linear'>): boolean {
  const features = featuresFor(exchange, market);
  const attached = features?.createOrder?.attachedStopLossTakeProfit;
  return attached !== undefined && attached !== null && attached !== false;
}

/**
 * Account-level capabilities: attached TP/SL for the account's default market type (spot, or linear swaps),
 * client-id lookup from the traits table (`true` when one exact request finds any order, open or done),
 * leverage and margin mode from `exchange.has`.
 */
export function deriveCapabilities(
  exchange: Exchange,
  traits: ExchangeTraits,
  defaultType: 'spot' | 'swap',
): ExchangeCapabilities {
  return {
    attachedTpSl: supportsAttachedTpSl(
      exchange,
      defaultType === 'spot' ? { type: 'spot' } : { type: 'swap', linear: true },
    ),
    fetchOrderByClientId: traits.clientIdLookup.kind !== 'scan',
    setLeverage: exchange.has.setLeverage === true,
    setMarginMode: exchange.has.setMarginMode === true,
  };
}

function featuresFor(
  exchange: Exchange,
  market: Pick<Market, 'type' | 'linear'>,
): MarketFeatures | undefined {
  // `features` is an untyped dictionary in ccxt's typings: spot → {...}, swap/future → { linear, inverse }.
  const all = (exchange as unknown as { features?: Record<string, unknown> }).features;
  const byType = all?.[market.type] as Record<string, unknown> | undefined;
  if (!byType) return undefined;
  if (market.type === 'spot') return byType as MarketFeatures;
  return byType[market.linear === false ? 'inverse' : 'linear'] as MarketFeatures | undefined;
}
