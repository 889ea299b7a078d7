import { type Redis } from 'ioredis';
import { type PrecisionAware, isPrecisionAware } from '../ccxt/precision-aware';
import {
  type Balances,
  type ExchangeCapabilities,
  type ExchangeOrder,
  type ExchangeSession,
  type Market,
  type MarketMap,
  type OrderIntent,
  type Position,
} from '../exchange-session';
import { toBalances } from './balance-view';
import { BookStore } from './book-store';
import { type Dec, dec, num } from './decimal';
import { instrumentOf, offlineMarket, syntheticMarket, withPaperFees } from './instruments';
import { observePrice } from './matching';
import { endOrder } from './order-execution';
import { toExchangeOrder, toPosition } from './order-view';
import { type Instrument, type MarginMode, openOrdersOf } from './paper-book';
import { placeOrder } from './placement';
import { priceRequired, refusal } from './refusals';
import { setLeverage, setMarginMode } from './symbol-settings';
import { TickerCache } from './ticker-cache';

export interface PaperExchangeOptions {
  accountId: string;
  redis: Redis;
  /** Redis key of the account's book (balances, positions, resting orders, prices). */
  bookKey: string;
  /** Redis key of the hash of every order by client order id. */
  ordersKey: string;
  /** Balances of an account that has not traded yet (`PAPER_BALANCES`). */
  startingBalances: Record<string, number>;
  /**
   * Fee rate of every fill, maker or taker alike, charged in the quote (settle) currency (`PAPER_FEE_RATE`).
   * @defaultValue 0.001 (0.1 %)
   */
  feeRate?: number;
  /**
   * A real exchange's session for markets, prices and precision (`paper: true` accounts). Without it the
   * simulator is offline: any `BASE/QUOTE` pair and linear perpetual, priced by the alerts.
   */
  marketSource?: ExchangeSession & Partial<PrecisionAware>;
  /** Over a real exchange, a ticker younger than this is reused. @defaultValue 1000 */
  tickerMaxAgeMs?: number;
  /**
   * Hears of every resting order that filled or ended while the price moved (orders placed by `createOrder`
   * are reported by its caller). @defaultValue no-op
   */
  onOrderEnded?: (order: ExchangeOrder) => void;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * The paper exchange: a simulated account in Redis behind the same port as a real exchange, so that the very
 * plans that run against Binance or Bybit run here. Market orders fill at once; limit orders rest until the price
 * crosses them and then fill at their limit; post-only, IOC, FOK, reduce-only and take-profit/stop-loss triggers
 * behave as named; perpetuals keep positions with leverage, margin and realised PnL. Balances are exact decimals.
 *
 * Prices: offline (`"exchange": "paper"`), the alerts' own prices ({@link observePrice}); over a real exchange
 * (`paper: true`), its ticker, fetched when an order is placed or looked at while orders rest. No order ever
 * reaches an exchange.
 */
export class PaperExchange implements ExchangeSession {
  readonly exchangeId = 'paper';
  readonly capabilities: ExchangeCapabilities = {
    attachedTpSl: false,
    fetchOrderByClientId: true,
    setLeverage: true,
    setMarginMode: true,
  };
  /** Offline only: any pair is tradable. Over a real exchange, only its listed markets are. */
  readonly syntheticMarket?: (base: string, quote: string, type: 'spot' | 'swap') => Market;
  /** Offline only: the alerts are the price feed. */
  readonly observePrice?: (symbol: string, price: number) => Promise<void>;
  /** Over a real exchange: its own rounding rules. */
  readonly amountToPrecision?: (symbol: string, amount: number) => number;
  readonly priceToPrecision?: (symbol: string, price: number) => number;
  private readonly store: BookStore;
  private readonly ticker?: TickerCache;
  private readonly feeRate: number;
  /** The source's last market map with the paper fees, rebuilt only when the source's map changes. */
  private charged?: { source: MarketMap; markets: MarketMap };

  constructor(private readonly options: PaperExchangeOptions) {
    const now = options.now ?? Date.now;
    this.feeRate = options.feeRate ?? 0.001;
    this.store = new BookStore({
      redis: options.redis,
      bookKey: options.bookKey,
      ordersKey: options.ordersKey,
      startingBalances: options.startingBalances,
      feeRate: dec(this.feeRate),
      now,
    });
    const source = options.marketSource;
    if (!source) {
      this.syntheticMarket = (base, quote, type) =>
        withPaperFees(syntheticMarket(base, quote, type), this.feeRate);
      this.observePrice = async (symbol, price) => {
        if (Number.isFinite(price) && price > 0) await this.refresh([symbol], { [symbol]: dec(price) });
      };
      return;
    }
    this.ticker = new TickerCache({
      fetchPrice: (symbol) => source.fetchPrice(symbol),
      maxAgeMs: options.tickerMaxAgeMs,
      now,
    });
    if (isPrecisionAware(source)) {
      this.amountToPrecision = (symbol, amount) => source.amountToPrecision(symbol, amount);
      this.priceToPrecision = (symbol, price) => source.priceToPrecision(symbol, price);
    }
  }

  get accountId(): string {
    return this.options.accountId;
  }

  /** Over a real exchange, its markets with the paper exchange's fees in place of the exchange's own. */
  async markets(): Promise<MarketMap> {
    if (!this.options.marketSource) return {};
    const source = await this.options.marketSource.markets();
    if (this.charged?.source !== source) {
      const markets: MarketMap = {};
      for (const [symbol, market] of Object.entries(source))
        markets[symbol] = withPaperFees(market, this.feeRate);
      this.charged = { source, markets };
    }
    return this.charged.markets;
  }

  async fetchBalance(): Promise<Balances> {
    if (this.ticker) {
      // Resting orders and open positions are valued at live prices (fills, unrealised PnL) first.
      const book = await this.store.read();
      const live = new Set([
        ...Object.values(book.open).map((o) => o.symbol),
        ...Object.keys(book.positions).filter((s) => !dec(book.positions[s].contracts).isZero()),
      ]);
      await this.refresh([...live]);
    }
    return toBalances(await this.store.read());
  }

  async fetchPosition(symbol: string): Promise<Position> {
    const instrument = await this.instrument(symbol);
    if (instrument.kind === 'spot') return { symbol, contracts: 0, side: 'flat' };
    await this.refresh([symbol]);
    return toPosition(await this.store.read(), symbol);
  }

  /** Open positions, valued at the latest price (its unrealised PnL). */
  async fetchPositions(): Promise<Position[]> {
    const before = await this.store.read();
    await this.refresh(
      Object.keys(before.positions).filter((s) => !dec(before.positions[s].contracts).isZero()),
    );
    const book = await this.store.read();
    return Object.keys(book.positions)
      .sort()
      .map((symbol) => toPosition(book, symbol, { withPnl: true }))
      .filter((p) => p.contracts !== 0);
  }

  /** Resting orders (limit and trigger), after matching them against the latest prices. */
  async fetchOpenOrders(): Promise<ExchangeOrder[]> {
    const before = await this.store.read();
    await this.refresh([...new Set(Object.values(before.open).map((o) => o.symbol))]);
    return Object.values((await this.store.read()).open).map(toExchangeOrder);
  }

  async fetchPrice(symbol: string): Promise<number> {
    if (this.ticker) return this.ticker.price(symbol, { fresh: true });
    const price = (await this.store.read()).prices[symbol];
    if (price === undefined) throw priceRequired(symbol);
    return num(price);
  }

  /**
   * Places the order once per client order id: a second call with the same id returns the first order as it is
   * now, and never fills again (the check and the fill are one atomic commit).
   */
  async createOrder(intent: OrderIntent): Promise<ExchangeOrder> {
    const known = await this.store.order(intent.clientOrderId);
    if (known) return toExchangeOrder(known);
    const instrument = await this.instrument(intent.symbol);
    // Resting orders the market price crosses fill before this order, as they were on the book first. The price:
    // the exchange's live ticker, or offline the alert's reference price of a market order.
    const price = this.ticker
      ? dec(await this.ticker.price(intent.symbol, { fresh: true }))
      : intent.type === 'market' && intent.referencePrice !== undefined
        ? dec(intent.referencePrice)
        : undefined;
    await this.refresh([intent.symbol], price ? { [intent.symbol]: price } : {});
    const order = await this.store.transact(async (ledger) => {
      const again = await this.store.order(intent.clientOrderId);
      if (again) return again;
      return placeOrder(ledger, { intent, instrument, marketPrice: ledger.price(intent.symbol) });
    });
    return toExchangeOrder(order);
  }

  /** The order's current state; resting orders are first matched against the latest price. */
  async findOrder(_symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
    const order = await this.store.order(clientOrderId);
    if (!order || order.status !== 'open') return order && toExchangeOrder(order);
    await this.refresh([order.symbol]);
    const now = await this.store.order(clientOrderId);
    return now && toExchangeOrder(now);
  }

  /** Cancels the symbol's resting orders (after matching them against the latest price) and frees their funds. */
  async cancelOpenOrders(symbol: string): Promise<ExchangeOrder[]> {
    await this.refresh([symbol]);
    const canceled = await this.store.transact((ledger) =>
      openOrdersOf(ledger.book, symbol).map((order) =>
        endOrder(ledger, order, { status: 'canceled', note: 'canceled on request' }),
      ),
    );
    return canceled.map(toExchangeOrder);
  }

  async setLeverage(symbol: string, leverage: number): Promise<void> {
    const instrument = await this.instrument(symbol);
    await this.store.transact((ledger) => {
      ledger.remember(instrument);
      setLeverage(ledger, instrument, leverage);
    });
  }

  async setMarginMode(symbol: string, mode: MarginMode): Promise<void> {
    const instrument = await this.instrument(symbol);
    await this.store.transact((ledger) => {
      ledger.remember(instrument);
      setMarginMode(ledger, instrument, mode);
    });
  }

  async close(): Promise<void> {
    // Shares the worker's Redis connection; only a market source has anything to close.
    await this.options.marketSource?.close();
  }

  /**
   * Matches the resting orders of `symbols` against their latest price: `given` prices (an alert's), else the
   * live ticker over a real exchange. Offline without a given price nothing can have moved: the last alert price
   * was matched when it arrived.
   */
  private async refresh(symbols: string[], given: Record<string, Dec> = {}): Promise<void> {
    const prices: Record<string, Dec> = { ...given };
    if (this.ticker) {
      const ticker = this.ticker;
      await Promise.all(
        symbols.filter((s) => !prices[s]).map(async (s) => (prices[s] = dec(await ticker.price(s)))),
      );
    }
    if (Object.keys(prices).length === 0) return;
    const ended = await this.store.transact((ledger) => {
      for (const [symbol, price] of Object.entries(prices)) observePrice(ledger, symbol, price);
      return [...ledger.changed.values()];
    });
    for (const order of ended) this.options.onOrderEnded?.(toExchangeOrder(order));
  }

  private async instrument(symbol: string): Promise<Instrument> {
    const source = this.options.marketSource;
    if (!source) return instrumentOf(offlineMarket(symbol));
    const market = (await source.markets())[symbol];
    if (!market) throw refusal('bad_symbol', `paper: ${source.exchangeId} has no market ${symbol}`);
    return instrumentOf(market);
  }
}
