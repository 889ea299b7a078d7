import { extraSpotListing } from './binance-markets';
import { FakeApiError } from './fake-exchange-server';

/** One order in the fake Binance (spot or USDⓈ-M). */
export interface BinanceFakeOrder {
  api: 'spot' | 'usdm' | 'coinm';
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: string;
  quantity: number;
  price: number;
  stopPrice: number;
  timeInForce: string;
  reduceOnly: boolean;
  status: 'NEW' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  executedQty: number;
  avgPrice: number;
  time: number;
  updateTime: number;
  /** USDⓈ-M conditional orders live in the Algo Service, with their own ids. */
  algo: boolean;
}

/** The fake's account: balances, positions, orders. Tests may read and edit it directly. */
export class BinanceFakeState {
  prices: Record<string, number> = { BTCUSDT: 60000, ETHUSDT: 3000, BTCUSD_PERP: 60000 };
  spotBalances: Record<string, { free: number; locked: number }> = {
    USDT: { free: 10000, locked: 0 },
    BTC: { free: 0.5, locked: 0 },
    ETH: { free: 2, locked: 0 },
    BNB: { free: 0, locked: 0 },
  };
  usdmWalletBalance = 10000;
  /** COIN-M (inverse) margin: BTC. */
  coinmWalletBtc = 1;
  /** Signed position amount per symbol (one-way mode). */
  positions: Record<string, { amount: number; entryPrice: number }> = {};
  leverage: Record<string, number> = { BTCUSDT: 20, ETHUSDT: 20, BTCUSD_PERP: 20 };
  marginType: Record<string, 'ISOLATED' | 'CROSSED'> = { BTCUSDT: 'CROSSED', ETHUSDT: 'CROSSED' };
  orders: BinanceFakeOrder[] = [];
  /** Spot pairs listed as suspended (status BREAK): no trading, open orders stay until canceled. */
  readonly suspendedSpotSymbols = new Set<string>();
  /** Spot pairs listed beyond BTCUSDT and ETHUSDT (see {@link listSpotSymbols}). */
  readonly extraSpotSymbols: string[] = [];
  private nextId = 4_000_000_001;

  /**
   * Lists more USDT spot pairs (keys of `EXTRA_SPOT_LISTINGS`): a price and an empty balance of the base asset
   * here; FakeBinance, which calls this with its `extraSymbols` option, serves them in exchangeInfo. BTCUSDT and
   * ETHUSDT are always listed and are skipped.
   */
  listSpotSymbols(symbols: readonly string[]): void {
    for (const symbol of symbols) {
      if (symbol === 'BTCUSDT' || symbol === 'ETHUSDT' || this.extraSpotSymbols.includes(symbol)) continue;
      const listing = extraSpotListing(symbol);
      this.extraSpotSymbols.push(symbol);
      this.prices[symbol] = listing.price;
      this.spotBalances[listing.base] ??= { free: 0, locked: 0 };
    }
  }

  newId(): number {
    return this.nextId++;
  }

  price(symbol: string): number {
    const price = this.prices[symbol];
    if (price === undefined) throw binanceError(-1121, 'Invalid symbol.');
    return price;
  }

  findOrder(api: BinanceFakeOrder['api'], params: Record<string, unknown>, algo = false): BinanceFakeOrder {
    const clientId = (params.origClientOrderId ?? params.clientAlgoId) as string | undefined;
    const id = Number(params.orderId ?? params.algoId);
    const order = this.orders.find(
      (o) =>
        o.api === api &&
        o.algo === algo &&
        (clientId !== undefined ? o.clientOrderId === clientId : o.orderId === id) &&
        (params.symbol === undefined || o.symbol === params.symbol),
    );
    if (!order) throw binanceError(-2013, 'Order does not exist.');
    return order;
  }

  openOrders(api: BinanceFakeOrder['api'], symbol: unknown, algo = false): BinanceFakeOrder[] {
    return this.orders.filter(
      (o) =>
        o.api === api &&
        o.algo === algo &&
        o.status === 'NEW' &&
        (symbol === undefined || o.symbol === symbol),
    );
  }

  /**
   * The book fills a resting order (wholly, or `quantity` more of it) at `price`, as the market crossing its
   * limit would. Spot balances and USDⓈ-M positions follow.
   */
  fillResting(clientOrderId: string, price: number, quantity?: number): BinanceFakeOrder {
    const order = this.restingOrder(clientOrderId);
    const more = Math.min(quantity ?? order.quantity - order.executedQty, order.quantity - order.executedQty);
    const executed = round(order.executedQty + more);
    order.avgPrice = (order.executedQty * order.avgPrice + more * price) / executed;
    order.executedQty = executed;
    order.updateTime = Date.now();
    if (executed >= order.quantity) order.status = 'FILLED';
    if (order.api !== 'spot') this.applyPositionFill(order.symbol, order.side, more, price);
    else {
      const [base] = order.symbol.split('USDT');
      const spend = order.side === 'BUY' ? 'USDT' : base;
      const get = order.side === 'BUY' ? base : 'USDT';
      const locked = order.side === 'BUY' ? more * order.price : more;
      this.spotBalances[spend].locked = round(this.spotBalances[spend].locked - locked);
      const gain = order.side === 'BUY' ? more : more * price;
      this.spotBalances[get] = {
        free: round((this.spotBalances[get]?.free ?? 0) + gain),
        locked: this.spotBalances[get]?.locked ?? 0,
      };
    }
    return order;
  }

  /** The exchange cancels (or expires) a resting order by itself: a trader's click, a GTD expiry. */
  endResting(clientOrderId: string, status: 'CANCELED' | 'EXPIRED' = 'CANCELED'): BinanceFakeOrder {
    const order = this.restingOrder(clientOrderId);
    order.status = status;
    order.updateTime = Date.now();
    return order;
  }

  private restingOrder(clientOrderId: string): BinanceFakeOrder {
    const order = this.orders.find((o) => o.clientOrderId === clientOrderId && o.status === 'NEW');
    if (!order) throw new Error(`fake binance: no resting order ${clientOrderId}`);
    return order;
  }

  /** Moves a USDⓈ-M position by a fill; the entry price averages while the position grows. */
  applyPositionFill(symbol: string, side: 'BUY' | 'SELL', quantity: number, price: number): void {
    const current = this.positions[symbol] ?? { amount: 0, entryPrice: 0 };
    const delta = side === 'BUY' ? quantity : -quantity;
    const amount = round(current.amount + delta);
    const growing = Math.sign(delta) === Math.sign(current.amount) || current.amount === 0;
    const entryPrice =
      amount === 0
        ? 0
        : growing
          ? (Math.abs(current.amount) * current.entryPrice + quantity * price) / Math.abs(amount)
          : Math.sign(amount) === Math.sign(current.amount)
            ? current.entryPrice
            : price;
    this.positions[symbol] = { amount, entryPrice };
  }
}

export function binanceError(code: number, msg: string, status = 400): FakeApiError {
  return new FakeApiError(status, { code, msg });
}

/** Binance prints decimals with fixed places; ccxt parses the strings. */
export function fixed(value: number, places = 8): string {
  return value.toFixed(places);
}

export function round(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

/** Rejects unknown parameters the way Binance does (-1104), so a leaked param fails a test. */
export function checkParams(params: Record<string, unknown>, allowed: string[]): void {
  const known = new Set([...allowed, 'timestamp', 'recvWindow', 'signature']);
  const extra = Object.keys(params).filter((key) => !known.has(key));
  if (extra.length > 0) {
    const sent = Object.keys(params).length;
    throw binanceError(
      -1104,
      `Not all sent parameters were read; read '${sent - extra.length}' parameter(s) but was sent '${sent}'.`,
    );
  }
}

export function requireParam(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw binanceError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
  }
  return String(value);
}
