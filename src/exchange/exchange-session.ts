import { type OrderIntent, type OrderSide } from '../signals/order-intent';

/**
 * The exchange port: what execution needs from an exchange, in ccxt's unified vocabulary. Implemented by
 * the offline paper simulator and by cached ccxt sessions; execution code never imports ccxt.
 */

export type MarketType = 'spot' | 'swap' | 'future' | 'option';

/** The subset of a ccxt market that planning uses. */
export interface Market {
  symbol: string;
  /** Exchange-native id, e.g. `BTCUSDT`. */
  id: string;
  base: string;
  quote: string;
  settle?: string;
  type: MarketType;
  /** Linear (USDT-margined) contract, if a derivative. */
  linear?: boolean;
  contractSize?: number;
  active: boolean;
  precision: { amount?: number; price?: number };
  limits: {
    amount?: { min?: number; max?: number };
    cost?: { min?: number; max?: number };
    price?: { min?: number; max?: number };
  };
  /**
   * Fee rate of an order that takes liquidity, as a fraction of its notional (0.001 = 0.1 %); absent when
   * unknown. Account tiers and discounts may make the real rate lower.
   */
  taker?: number;
  /** Fee rate of an order that rests on the book (see {@link taker}). */
  maker?: number;
  /** Which currency a spot fill's fee is taken from; see {@link FeeSide}. @defaultValue `quote` */
  feeSide?: FeeSide;
}

/**
 * Which currency a spot fill pays its fee in, as ccxt's `feeSide` says: `get` — the currency received (a buy
 * pays in base, a sale in quote), `give` — the currency paid, `quote`, `base`, or `other` (e.g. a discount
 * token). Derivatives pay their fees in the settle currency whatever this says. ccxt assumes `quote` when an
 * exchange does not say.
 */
export type FeeSide = 'get' | 'give' | 'quote' | 'base' | 'other';

export type MarketMap = Record<string, Market>;

export type { OrderIntent, OrderSide } from '../signals/order-intent';

/** An order as the exchange reports it. */
export interface ExchangeOrder {
  id: string;
  clientOrderId?: string;
  symbol: string;
  side: OrderSide;
  type: string;
  amount: number;
  price?: number;
  filled: number;
  average?: number;
  cost?: number;
  fee?: { cost: number; currency: string };
  /** `open`, `closed` (filled), `canceled`, `expired`, `rejected`. */
  status: string;
}

export interface BalanceEntry {
  free: number;
  used: number;
  total: number;
}
export type Balances = Record<string, BalanceEntry>;

/** A derivatives position; `contracts` is signed (short < 0). */
export interface Position {
  symbol: string;
  contracts: number;
  side: 'long' | 'short' | 'flat';
  entryPrice?: number;
  /** In the settle currency, as the exchange reports it (account listings only). */
  unrealizedPnl?: number;
}

/** What an exchange can do, as data (cf. freqtrade's `_ft_has`), not as subclasses. */
export interface ExchangeCapabilities {
  /** Take-profit / stop-loss attached to the entry order. */
  attachedTpSl: boolean;
  /** `fetchOrder` by client order id (else look through open + closed orders). */
  fetchOrderByClientId: boolean;
  setLeverage: boolean;
  setMarginMode: boolean;
}

/** How a createOrder request is sent. */
export interface CreateOrderOptions {
  /**
   * When the caller recorded the request as sent (epoch ms), before calling. Sessions with a receive window
   * sign the request with this time (never later), so the exchange refuses it once
   * `sentAt + orderAcceptWindowMs` has passed. @defaultValue now
   */
  sentAt?: number;
}

export interface ExchangeSession {
  readonly accountId: string;
  readonly exchangeId: string;
  readonly capabilities: ExchangeCapabilities;
  /**
   * How long after `sentAt` the exchange may still accept (and execute) a createOrder request whose answer
   * was lost: its receive window (Binance `recvWindow`, Bybit `recv_window`, OKX `expTime`) plus the clock
   * tolerance it allows. A lookup that finds no order proves it absent only after that. Sessions that
   * settle every request before answering (the paper exchange) leave it out: 0.
   */
  readonly orderAcceptWindowMs?: number;
  /** Cached markets; loads them on first use and shares one promise between concurrent callers. */
  markets(): Promise<MarketMap>;
  /**
   * Simulators that trade any pair (the offline paper exchange) build a market on demand: the spot pair, or
   * the linear perpetual settled in the quote (`swap`). Real exchanges leave this out and only know the
   * markets they list.
   */
  syntheticMarket?(base: string, quote: string, type: 'spot' | 'swap'): Market;
  /**
   * Simulators that take their prices from alerts (the offline paper exchange) learn the market price of
   * `symbol` here, from each market alert's reference price, before the signal is planned: resting orders
   * the price crosses fill first. Sessions with a price feed of their own leave this out.
   */
  observePrice?(symbol: string, price: number): Promise<void>;
  fetchBalance(): Promise<Balances>;
  fetchPosition(symbol: string): Promise<Position>;
  /** Every open (non-flat) derivatives position of the account, in every market; `[]` for spot-only ones. */
  fetchPositions(): Promise<Position[]>;
  /** Every open order of the account, in every market (conditional orders included). */
  fetchOpenOrders(): Promise<ExchangeOrder[]>;
  /** Last price, for sizing market orders that carry no reference price. */
  fetchPrice(symbol: string): Promise<number>;
  /**
   * Sends the order ONCE (never retried inside). After an ambiguous failure (timeout, lost answer) the order
   * may exist: look it up with {@link findOrder} before sending it again.
   */
  createOrder(intent: OrderIntent, options?: CreateOrderOptions): Promise<ExchangeOrder>;
  /**
   * The order with this client id in its CURRENT state (open, filled, canceled…), or `undefined` if the
   * exchange has none (see {@link orderAcceptWindowMs} for when that is proof).
   */
  findOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined>;
  cancelOpenOrders(symbol: string): Promise<ExchangeOrder[]>;
  setLeverage(symbol: string, leverage: number): Promise<void>;
  setMarginMode(symbol: string, mode: 'isolated' | 'cross'): Promise<void>;
  close(): Promise<void>;
}
