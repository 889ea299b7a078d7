import { type OrderSide } from '../exchange-session';
import { dec, str } from './decimal';

/**
 * The state of one paper account, kept in Redis as one JSON document so that every change to it is one atomic
 * compare-and-set (see `book-store.ts`). Amounts are decimal strings (see `decimal.ts`).
 */
export interface PaperBook {
  /** Cash per currency. Margin and reservations are not deducted here: they are derived (`balance-view.ts`). */
  wallet: Record<string, string>;
  /** What was traded, by symbol: how to book a fill of it. */
  instruments: Record<string, Instrument>;
  /** Derivatives positions by symbol (one-way mode). A flat position keeps its realised PnL. */
  positions: Record<string, PaperPosition>;
  /** Leverage and margin mode by symbol, as set by alerts. */
  settings: Record<string, SymbolSettings>;
  /** Resting orders (limit, trigger) by client order id. Ended orders live only in the orders hash. */
  open: Record<string, PaperOrder>;
  /** The last price seen per symbol: from alerts offline, from the exchange's ticker over a real exchange. */
  prices: Record<string, string>;
  /** Orders placed so far; gives resting orders at one price a stable first-come order. */
  seq: number;
}

/**
 * How a fill books: `spot` moves base and quote; `linear` (USDT-margined contracts) moves a position and pays
 * margin, fees and PnL in the settle currency.
 */
export interface Instrument {
  symbol: string;
  kind: 'spot' | 'linear';
  base: string;
  quote: string;
  /** Where fees, margin and PnL are paid: the quote on spot, the settle currency on contracts. */
  settle: string;
  /** Base units per contract; `1` on spot. */
  contractSize: string;
}

export interface PaperPosition {
  /** Signed contracts: short < 0. */
  contracts: string;
  /** Average entry price of the open contracts; `0` when flat. */
  entryPrice: string;
  /** Initial margin held by the position (contracts × size × entry ÷ leverage). */
  margin: string;
  /** Sum of PnL realised on this symbol (already in the wallet). */
  realisedPnl: string;
}

export type MarginMode = 'isolated' | 'cross';

export interface SymbolSettings {
  leverage: number;
  marginMode: MarginMode;
}

/** Leverage of a symbol no alert has set: 1×, so that nothing is ever sized bigger than the trader chose. */
export const DEFAULT_SETTINGS: SymbolSettings = { leverage: 1, marginMode: 'cross' };

export type PaperOrderType = 'market' | 'limit' | 'stop_market' | 'take_profit_market';
/** As ccxt reports orders: `open` rests, `closed` filled, `canceled`, `expired` (IOC/FOK remainder). */
export type PaperOrderStatus = 'open' | 'closed' | 'canceled' | 'expired';

export interface PaperOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: PaperOrderType;
  amount: string;
  /** Limit price. */
  price?: string;
  triggerPrice?: string;
  reduceOnly: boolean;
  postOnly: boolean;
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  status: PaperOrderStatus;
  filled: string;
  /** Average fill price. */
  average?: string;
  /** Quote value of the fill (contracts × contract size × price on contracts). */
  cost: string;
  fee: string;
  feeCurrency: string;
  /** Funds held while the order rests (released when it fills or is canceled). */
  reserved?: { currency: string; amount: string };
  /** Place in the book's order of arrival. */
  seq: number;
  createdAt: number;
  updatedAt: number;
  /** Why less than the amount was filled (reduce-only clamp, IOC remainder, canceled…). */
  note?: string;
}

/** A fresh book holding the starting balances. */
export function newBook(startingBalances: Record<string, number>): PaperBook {
  return {
    wallet: Object.fromEntries(Object.entries(startingBalances).map(([c, n]) => [c, str(dec(n))])),
    instruments: {},
    positions: {},
    settings: {},
    open: {},
    prices: {},
    seq: 0,
  };
}

/** The resting orders of one symbol, first come first. */
export function openOrdersOf(book: PaperBook, symbol: string): PaperOrder[] {
  return Object.values(book.open)
    .filter((o) => o.symbol === symbol)
    .sort((a, b) => a.seq - b.seq);
}
