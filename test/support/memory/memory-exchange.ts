import { AppError } from '../../../src/errors/app-error';
import {
  type Balances,
  type CreateOrderOptions,
  type ExchangeCapabilities,
  type ExchangeOrder,
  type ExchangeSession,
  type Market,
  type MarketMap,
  type OrderIntent,
  type Position,
} from '../../../src/exchange/exchange-session';
import { type FakeClock } from './fake-clock';

/** BTC/USDT spot as Binance lists it (step 0.00001, min value 5 USDT). */
export const BTC_SPOT: Market = {
  symbol: 'BTC/USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  type: 'spot',
  active: true,
  precision: { amount: 0.00001, price: 0.01 },
  limits: { amount: { min: 0.00001 }, cost: { min: 5 } },
};

/**
 * How the next createOrder goes wrong:
 * - `timeout`: no answer and nothing placed;
 * - `lost`: placed, but the answer is lost (a timeout to the caller);
 * - `late`: a timeout to the caller; the exchange places the order `afterMs` after it was sent;
 * - `refused`: a permanent refusal (insufficient funds);
 * - `duplicate`: refused as a duplicate client id;
 * - `notSent`/`circuitOpen`: refused before anything left.
 */
export type CreateFailure =
  | { kind: 'timeout' | 'lost' | 'refused' | 'duplicate' | 'notSent' | 'circuitOpen' }
  | { kind: 'late'; afterMs: number };

/** One call the exchange received. */
export interface MemoryCall {
  method: string;
  at: number;
  clientOrderId?: string;
  sentAt?: number;
}

const transient = (code: string, message: string) => new AppError(message, { code, kind: 'transient' });

/**
 * An in-memory {@link ExchangeSession} on an injected clock, for unit tests of execution and the order watch:
 * orders by client id, scripted failures, an order that appears late, orders that fill or are canceled
 * later. Every call is recorded.
 */
export class MemoryExchange implements ExchangeSession {
  readonly accountId: string;
  readonly exchangeId = 'memory';
  readonly capabilities: ExchangeCapabilities = {
    attachedTpSl: false,
    fetchOrderByClientId: true,
    setLeverage: true,
    setMarginMode: true,
  };
  orderAcceptWindowMs: number;
  readonly calls: MemoryCall[] = [];
  /** Orders the exchange holds, by client id, in their current state. */
  readonly orders = new Map<string, ExchangeOrder>();
  marketMap: MarketMap = { [BTC_SPOT.symbol]: BTC_SPOT };
  balances: Balances = {
    USDT: { free: 10_000, used: 0, total: 10_000 },
    BTC: { free: 1, used: 0, total: 1 },
  };
  price = 60_000;
  private readonly createFailures: CreateFailure[] = [];
  private findFailures = 0;
  private readonly late: { at: number; order: ExchangeOrder }[] = [];
  private nextId = 1;

  /** How long a call that times out takes (the clock moves on by that much). */
  timeoutMs = 300;

  constructor(
    private readonly clock: FakeClock,
    options: { accountId?: string; orderAcceptWindowMs?: number } = {},
  ) {
    this.accountId = options.accountId ?? 'mem';
    this.orderAcceptWindowMs = options.orderAcceptWindowMs ?? 1_300;
  }

  /** The next createOrder fails as described (failures queue up). */
  failCreate(failure: CreateFailure): this {
    this.createFailures.push(failure);
    return this;
  }

  /** The next `count` findOrder calls fail with a transient network error (Infinity: until told otherwise). */
  failFind(count: number): this {
    this.findFailures = count;
    return this;
  }

  /** Calls of one method. */
  callsOf(method: string): MemoryCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Fills a resting order (partly, with `amount`), as the book would. */
  fill(clientOrderId: string, price: number, amount?: number): void {
    const order = this.mustHave(clientOrderId);
    const filled = Math.min(order.amount, order.filled + (amount ?? order.amount - order.filled));
    const cost = (order.cost ?? 0) + (filled - order.filled) * price;
    Object.assign(order, {
      filled,
      cost,
      average: cost / filled,
      status: filled >= order.amount ? 'closed' : 'open',
    });
  }

  /** Cancels a resting order on the exchange's side (expired, canceled by hand). */
  cancel(clientOrderId: string, status: 'canceled' | 'expired' = 'canceled'): void {
    this.mustHave(clientOrderId).status = status;
  }

  async markets(): Promise<MarketMap> {
    this.record('markets');
    return this.marketMap;
  }

  async fetchBalance(): Promise<Balances> {
    this.record('fetchBalance');
    return this.balances;
  }

  async fetchPosition(symbol: string): Promise<Position> {
    this.record('fetchPosition');
    return { symbol, contracts: 0, side: 'flat' };
  }

  async fetchPositions(): Promise<Position[]> {
    this.record('fetchPositions');
    return [];
  }

  async fetchOpenOrders(): Promise<ExchangeOrder[]> {
    this.record('fetchOpenOrders');
    return [...this.orders.values()].filter((o) => o.status === 'open').map((o) => ({ ...o }));
  }

  async fetchPrice(): Promise<number> {
    this.record('fetchPrice');
    return this.price;
  }

  async createOrder(intent: OrderIntent, options: CreateOrderOptions = {}): Promise<ExchangeOrder> {
    const sentAt = options.sentAt ?? this.clock.now();
    this.record('createOrder', { clientOrderId: intent.clientOrderId, sentAt });
    const failure = this.createFailures.shift();
    switch (failure?.kind) {
      case undefined:
        return { ...this.place(intent) };
      case 'timeout':
        this.clock.advance(this.timeoutMs);
        throw transient('timeout', 'the exchange did not answer in time');
      case 'lost':
        this.place(intent);
        throw transient('network', 'socket hang up');
      case 'late':
        this.late.push({ at: sentAt + failure.afterMs, order: this.orderOf(intent) });
        this.clock.advance(this.timeoutMs);
        throw transient('timeout', 'the exchange did not answer in time');
      case 'refused':
        throw new AppError('Account has insufficient balance for requested action.', {
          code: 'insufficient_funds',
          kind: 'permanent',
        });
      case 'duplicate':
        throw new AppError('Duplicate order sent.', { code: 'duplicate_order_id', kind: 'permanent' });
      case 'notSent':
        throw transient('not_sent', 'order request not sent');
      case 'circuitOpen':
        throw transient('circuit_open', 'exchange calls are paused for this account (circuit open)');
    }
  }

  async findOrder(_symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
    this.record('findOrder', { clientOrderId });
    if (this.findFailures > 0) {
      this.findFailures -= 1;
      throw transient('network', 'connect ECONNREFUSED');
    }
    const order = this.orders.get(clientOrderId);
    return order ? { ...order } : undefined;
  }

  async cancelOpenOrders(symbol: string): Promise<ExchangeOrder[]> {
    this.record('cancelOpenOrders');
    const open = [...this.orders.values()].filter((o) => o.symbol === symbol && o.status === 'open');
    for (const order of open) order.status = 'canceled';
    return open.map((o) => ({ ...o }));
  }

  async setLeverage(): Promise<void> {
    this.record('setLeverage');
  }

  async setMarginMode(): Promise<void> {
    this.record('setMarginMode');
  }

  async close(): Promise<void> {}

  private record(method: string, extra: Partial<MemoryCall> = {}): void {
    this.settleLate();
    this.calls.push({ method, at: this.clock.now(), ...extra });
  }

  /** Orders the exchange was "still working on" appear once their time has come. */
  private settleLate(): void {
    for (const pending of [...this.late]) {
      if (pending.at > this.clock.now()) continue;
      this.late.splice(this.late.indexOf(pending), 1);
      this.orders.set(pending.order.clientOrderId ?? '', pending.order);
    }
  }

  private place(intent: OrderIntent): ExchangeOrder {
    const order = this.orderOf(intent);
    this.orders.set(intent.clientOrderId, order);
    return order;
  }

  private orderOf(intent: OrderIntent): ExchangeOrder {
    const resting = intent.type === 'limit';
    const price = intent.price ?? this.price;
    return {
      id: String(this.nextId++),
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      amount: intent.amount,
      ...(intent.price !== undefined ? { price: intent.price } : {}),
      filled: resting ? 0 : intent.amount,
      ...(resting ? {} : { average: price, cost: price * intent.amount }),
      status: resting ? 'open' : 'closed',
    };
  }

  private mustHave(clientOrderId: string): ExchangeOrder {
    const order = this.orders.get(clientOrderId);
    if (!order) throw new Error(`memory exchange: no order ${clientOrderId}`);
    return order;
  }
}
