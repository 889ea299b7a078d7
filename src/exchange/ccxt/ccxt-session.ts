import type { Exchange, Order as CcxtOrder } from 'ccxt';
import type {
  Balances,
  CreateOrderOptions,
  ExchangeCapabilities,
  ExchangeOrder,
  ExchangeSession,
  Market,
  MarketMap,
  OrderIntent,
  Position,
} from '../exchange-session';
import { ExchangeError } from '../errors/exchange-error';
import { translateExchangeError } from '../errors/translate-ccxt-error';
import { ExchangePolicy } from '../policies/exchange-policy';
import { listOpenOrders, listPositions } from './account-listing';
import { cancelOpenOrdersOf } from './cancel-open-orders';
import { TICK_SIZE, toBalances, toExchangeOrder, toMarket, toNetPosition } from './ccxt-mappers';
import { deriveCapabilities, supportsAttachedTpSl } from './capabilities';
import { createCcxtExchange } from './create-ccxt-exchange';
import { type ExchangeTraits, exchangeTraits } from './exchange-traits';
import { alreadySetIsFine } from './ccxt-session-settings';
import type { CcxtSessionOptions, SessionLogEntry } from './ccxt-session-options';
import { MarketCache } from './market-cache';
import { lookUpOrder, type ReadCall } from './order-lookup';
import { OrderWindow } from './order-window';
import { toCcxtOrderArgs } from './order-request';
import type { PrecisionAware } from './precision-aware';

export type { CcxtSessionOptions, SessionLogEntry } from './ccxt-session-options';

/**
 * An exchange account through ccxt: cached markets, translated errors, and every call under the account's
 * policies — `createOrder` through `write()` (never retried), everything else through `read()`.
 */
export class CcxtSession implements ExchangeSession, PrecisionAware {
  readonly accountId: string;
  readonly exchangeId: string;
  readonly capabilities: ExchangeCapabilities;
  readonly policy: ExchangePolicy;
  /** What an unmarked symbol means on this session: the account's choice, else the exchange class's. */
  readonly defaultType: 'spot' | 'swap';
  /** See {@link ExchangeSession.orderAcceptWindowMs}; from the exchange's receive window (see OrderWindow). */
  readonly orderAcceptWindowMs: number;
  private readonly exchange: Exchange;
  private readonly traits: ExchangeTraits;
  private readonly cache: MarketCache;
  private readonly log: (entry: SessionLogEntry) => void;
  private readonly read: ReadCall;
  private readonly window: OrderWindow;

  constructor(options: CcxtSessionOptions) {
    const { account } = options;
    this.accountId = account.id;
    this.exchange = options.exchange ?? createCcxtExchange(account);
    this.exchangeId = this.exchange.id;
    this.traits = options.traits ?? exchangeTraits(this.exchangeId);
    this.policy =
      options.policy instanceof ExchangePolicy ? options.policy : new ExchangePolicy(options.policy);
    // The effective default, not the account's: `binanceusdm` keeps `swap` when the account says nothing.
    const defaultType = (this.exchange.options.defaultType ?? 'spot') === 'spot' ? 'spot' : 'swap';
    this.defaultType = defaultType;
    this.capabilities = deriveCapabilities(this.exchange, this.traits, defaultType);
    // The call's timeout: ccxt's per-request timeout, or the policy's per-attempt limit if that is shorter.
    const callTimeoutMs = Math.min(Number(this.exchange.timeout ?? Infinity), this.policy.timeoutMs);
    this.window = new OrderWindow(this.exchange, this.traits, callTimeoutMs);
    this.orderAcceptWindowMs = this.window.acceptWindowMs;
    this.log = options.log ?? (() => undefined);
    this.read = (fn) => this.policy.read(() => fn());
    this.cache = new MarketCache({
      load: () => this.loadMarkets(),
      onRefreshed: (markets) =>
        this.emit('info', 'markets_refreshed', `markets refreshed (${Object.keys(markets).length})`),
      onRefreshError: (error) =>
        this.emit(
          'warn',
          'markets_refresh_failed',
          'market refresh failed; serving the previous markets',
          error,
        ),
    });
  }

  markets(): Promise<MarketMap> {
    return this.cache.get();
  }

  /** Loads the markets now (at worker start), so that no order waits for a cold load. */
  async warmUp(): Promise<void> {
    await this.cache.get();
  }

  /**
   * Reloads the markets every `intervalMs` in the background. Callers keep getting the previous map while a
   * reload runs and after one fails (the failure goes to `log`).
   */
  startRefresh(intervalMs: number): void {
    this.cache.start(intervalMs);
  }

  /** Reloads the markets once, now (what the refresh timer does). Never rejects. */
  refreshMarkets(): Promise<void> {
    return this.cache.refresh();
  }

  amountToPrecision(symbol: string, amount: number): number {
    return this.sync(() => Number(this.exchange.amountToPrecision(symbol, amount)));
  }

  priceToPrecision(symbol: string, price: number): number {
    return this.sync(() => Number(this.exchange.priceToPrecision(symbol, price)));
  }

  async fetchBalance(): Promise<Balances> {
    await this.markets();
    return toBalances(await this.read(() => this.exchange.fetchBalance()));
  }

  /** Signed net position; flat when there is none. Spot markets have no positions: always flat. */
  async fetchPosition(symbol: string): Promise<Position> {
    const market = await this.market(symbol);
    if (market.type === 'spot') return { symbol, contracts: 0, side: 'flat' };
    // Linear is ccxt's default subType; sending it anyway would leak into Binance's leverageBracket request.
    const params: Record<string, unknown> = this.traits.positionsNeedMarketType
      ? { type: market.type, ...(market.linear === false ? { subType: 'inverse' } : {}) }
      : {};
    const positions = this.exchange.has.fetchPositions
      ? await this.read(() => this.exchange.fetchPositions([symbol], params))
      : [await this.read(() => this.exchange.fetchPosition(symbol, params))];
    return toNetPosition(symbol, positions);
  }

  async fetchPositions(): Promise<Position[]> {
    return listPositions(this.exchange, await this.markets(), this.read);
  }

  async fetchOpenOrders(): Promise<ExchangeOrder[]> {
    return listOpenOrders(this.exchange, this.traits, await this.markets(), this.read);
  }

  async fetchPrice(symbol: string): Promise<number> {
    await this.market(symbol);
    const ticker = await this.read(() => this.exchange.fetchTicker(symbol));
    const price = ticker.last ?? ticker.close;
    if (price === undefined || price === null || !(price > 0)) {
      throw new ExchangeError(`${this.exchangeId} reports no last price for ${symbol}`, {
        code: 'exchange_error',
        kind: 'permanent',
      });
    }
    return price;
  }

  /**
   * Places the order ONCE, signed at `options.sentAt` under the exchange's receive window. After an ambiguous
   * failure (`timeout`, `network`, `exchange_unavailable`…) the order may or may not exist: call
   * {@link findOrder} with the same client id before sending it again — and trust a miss only once
   * `sentAt + orderAcceptWindowMs` has passed.
   */
  async createOrder(intent: OrderIntent, options: CreateOrderOptions = {}): Promise<ExchangeOrder> {
    const market = await this.market(intent.symbol);
    const args = toCcxtOrderArgs(intent, market, supportsAttachedTpSl(this.exchange, market));
    const placed = await this.policy.write((abort) =>
      this.window.send({ sentAt: options.sentAt, abort }, () =>
        this.exchange.createOrder(args.symbol, args.type, args.side, args.amount, args.price, args.params),
      ),
    );
    const fallback: Partial<ExchangeOrder> = {
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      amount: intent.amount,
      price: intent.price,
    };
    if (placed.status) return toExchangeOrder(placed, fallback);
    // Some exchanges (Bybit, OKX) answer an order id only. Status and fill matter (filled vs resting), so ask;
    // if asking fails the order still exists, so report it as accepted rather than fail the placement.
    const known = await this.lookUp(market, intent.clientOrderId).catch(() => undefined);
    return toExchangeOrder(known ?? placed, { ...fallback, id: placed.id ?? undefined });
  }

  async findOrder(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
    const market = await this.market(symbol);
    const order = await this.lookUp(market, clientOrderId);
    return order ? toExchangeOrder(order, { clientOrderId, symbol }) : undefined;
  }

  async cancelOpenOrders(symbol: string): Promise<ExchangeOrder[]> {
    const market = await this.market(symbol);
    const cancelled = await cancelOpenOrdersOf(this.exchange, this.traits, market, this.read);
    return cancelled.map((order) => toExchangeOrder(order, { symbol }));
  }

  /** Sets the leverage; an answer meaning "already that leverage" counts as success. */
  async setLeverage(symbol: string, leverage: number): Promise<void> {
    await this.market(symbol);
    await alreadySetIsFine(this.read, this.traits, () => this.exchange.setLeverage(leverage, symbol));
  }

  /** Sets the margin mode; an answer meaning "already that mode" counts as success. */
  async setMarginMode(symbol: string, mode: 'isolated' | 'cross'): Promise<void> {
    await this.market(symbol);
    await alreadySetIsFine(this.read, this.traits, () => this.exchange.setMarginMode(mode, symbol));
  }

  /** Stops the refresh timer and releases ccxt's connections. */
  async close(): Promise<void> {
    this.cache.stop();
    await this.cache.idle(); // a refresh in flight must not outlive the exchange it uses
    await this.exchange.close();
    // ccxt keeps a keep-alive undici dispatcher per instance and its close() leaves it open; release the sockets
    // so that shutdown (and test servers) need not wait for the 60 s keep-alive. Not part of ccxt's typings.
    const dispatcher = (this.exchange as unknown as { fetchDispatcher?: { close?: () => Promise<void> } })
      .fetchDispatcher;
    await dispatcher?.close?.().catch(() => undefined);
  }

  private async market(symbol: string): Promise<Market> {
    const markets = await this.markets();
    const market = markets[symbol];
    if (!market) {
      throw new ExchangeError(`${this.exchangeId} has no market ${symbol}`, {
        code: 'bad_symbol',
        kind: 'permanent',
      });
    }
    return market;
  }

  private lookUp(market: Market, clientOrderId: string): Promise<CcxtOrder | undefined> {
    return lookUpOrder(this.exchange, this.traits, market, clientOrderId, this.read);
  }

  private async loadMarkets(): Promise<MarketMap> {
    // reload=true also recovers a ccxt instance whose previous load failed (ccxt caches the rejected promise).
    const loaded = await this.policy.read(() => this.exchange.loadMarkets(true));
    const markets: MarketMap = {};
    for (const ccxtMarket of Object.values(loaded)) {
      const market = ccxtMarket ? toMarket(ccxtMarket, this.exchange.precisionMode ?? TICK_SIZE) : undefined;
      if (market) markets[market.symbol] = market;
    }
    return markets;
  }

  private sync<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateExchangeError(error);
    }
  }

  private emit(
    level: SessionLogEntry['level'],
    event: SessionLogEntry['event'],
    message: string,
    error?: unknown,
  ): void {
    this.log({
      level,
      event,
      message,
      accountId: this.accountId,
      exchangeId: this.exchangeId,
      ...(error === undefined ? {} : { error: translateExchangeError(error) }),
    });
  }
}
