import { type Redis } from 'ioredis';
import { AppError } from '../../errors/app-error';
import { defineLuaScript } from '../../redis/lua-script';
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

/**
 * Fills atomically: an order whose client id exists is returned as it was (a re-run never fills twice);
 * otherwise balances are checked and moved in the same script. Balances are seeded on first use.
 * ARGV: clientId, orderJson, side, base, quote, amount, cost, seedJson
 */
const FILL_SCRIPT = defineLuaScript<string[]>(
  'thPaperFill',
  2,
  `
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return {'existing', existing} end
local seed = cjson.decode(ARGV[8])
for asset, amount in pairs(seed) do redis.call('HSETNX', KEYS[1], asset, amount) end
redis.call('HSETNX', KEYS[1], '__seeded', '1')
local amount = tonumber(ARGV[6])
local cost = tonumber(ARGV[7])
if ARGV[3] == 'buy' then
  local free = tonumber(redis.call('HGET', KEYS[1], ARGV[5]) or '0')
  if free + 1e-12 < cost then return {'insufficient', ARGV[5], tostring(free)} end
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[5], -cost)
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[4], amount)
else
  local free = tonumber(redis.call('HGET', KEYS[1], ARGV[4]) or '0')
  if free + 1e-12 < amount then return {'insufficient', ARGV[4], tostring(free)} end
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[4], -amount)
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[5], cost)
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {'filled', ARGV[2]}`,
);

export interface PaperExchangeOptions {
  accountId: string;
  redis: Redis;
  /** Redis key of the balances hash and of the orders hash. */
  balancesKey: string;
  ordersKey: string;
  startingBalances: Record<string, number>;
  /** Taker fee rate charged in the quote currency. @defaultValue 0.001 (0.1 %) */
  feeRate?: number;
  /**
   * A real exchange's session for markets, prices and precision (`paper: true` accounts). Without it the
   * simulator is fully offline: any `BASE/QUOTE` pair, filled at the alert's reference price.
   */
  marketSource?: ExchangeSession;
}

/**
 * The paper exchange: balances and fills simulated in Redis. Offline (the demo): any `BASE/QUOTE` spot pair,
 * filled at once at the alert's reference price. Over a real exchange's markets (`paper: true`): only its
 * listed spot markets, market orders filled at its last price, limit orders at their price. Derivatives
 * are not simulated. No order ever reaches an exchange.
 */
export class PaperExchange implements ExchangeSession {
  readonly exchangeId = 'paper';
  readonly capabilities: ExchangeCapabilities = {
    attachedTpSl: false,
    fetchOrderByClientId: true,
    setLeverage: false,
    setMarginMode: false,
  };
  private readonly feeRate: number;
  /** Offline only: any pair is tradable. Over a real exchange, only its listed markets are. */
  readonly syntheticMarket?: (base: string, quote: string) => Market;

  constructor(private readonly options: PaperExchangeOptions) {
    this.feeRate = options.feeRate ?? 0.001;
    if (!options.marketSource) this.syntheticMarket = offlineMarket;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  async markets(): Promise<MarketMap> {
    return this.options.marketSource ? this.options.marketSource.markets() : {};
  }

  async fetchBalance(): Promise<Balances> {
    const raw = await this.options.redis.hgetall(this.options.balancesKey);
    const source: Record<string, number> = raw.__seeded
      ? Object.fromEntries(
          Object.entries(raw)
            .filter(([k]) => k !== '__seeded')
            .map(([k, v]) => [k, Number(v)]),
        )
      : this.options.startingBalances;
    return Object.fromEntries(
      Object.entries(source).map(([asset, free]) => [asset, { free, used: 0, total: free }]),
    );
  }

  async fetchPosition(symbol: string): Promise<Position> {
    return { symbol, contracts: 0, side: 'flat' };
  }

  async fetchPrice(symbol: string): Promise<number> {
    if (this.options.marketSource) return this.options.marketSource.fetchPrice(symbol);
    throw new AppError(
      `the offline paper exchange has no price feed for ${symbol}: send "price": "{{close}}" in the alert`,
      {
        code: 'price_required',
        kind: 'permanent',
      },
    );
  }

  async createOrder(intent: OrderIntent): Promise<ExchangeOrder> {
    const source = this.options.marketSource;
    if (source && (await source.markets())[intent.symbol]?.type !== 'spot') {
      throw new AppError(`paper trading simulates spot markets only; ${intent.symbol} is not one`, {
        code: 'not_supported',
        kind: 'permanent',
      });
    }
    // Over a real exchange a market order fills at its live price, not at the alert's reference price.
    const price = intent.price ?? (source ? await source.fetchPrice(intent.symbol) : intent.referencePrice);
    if (price === undefined) {
      throw new AppError('the offline paper exchange fills at the alert price: send "price": "{{close}}"', {
        code: 'price_required',
        kind: 'permanent',
      });
    }
    const [base, quote] = intent.symbol.split('/');
    const notional = intent.amount * price;
    const fee = notional * this.feeRate;
    // The buyer pays the fee on top; the seller receives the proceeds minus the fee.
    const cost = intent.side === 'buy' ? notional + fee : notional - fee;
    const order: ExchangeOrder = {
      id: `paper-${intent.clientOrderId}`,
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      amount: intent.amount,
      price,
      filled: intent.amount,
      average: price,
      cost: notional,
      fee: { cost: fee, currency: quote },
      status: 'closed',
    };
    const result = await FILL_SCRIPT.run(
      this.options.redis,
      [this.options.balancesKey, this.options.ordersKey],
      [
        intent.clientOrderId,
        JSON.stringify(order),
        intent.side,
        base,
        quote,
        String(intent.amount),
        String(cost),
        JSON.stringify(this.options.startingBalances),
      ],
    );
    if (result[0] === 'insufficient') {
      throw new AppError(`paper balance too low: ${result[2]} ${result[1]} free, order needs more`, {
        code: 'insufficient_funds',
        kind: 'permanent',
      });
    }
    return JSON.parse(result[1]) as ExchangeOrder;
  }

  async findOrder(_symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
    const raw = await this.options.redis.hget(this.options.ordersKey, clientOrderId);
    return raw ? (JSON.parse(raw) as ExchangeOrder) : undefined;
  }

  async cancelOpenOrders(): Promise<ExchangeOrder[]> {
    return []; // Paper orders fill at once; nothing is ever open.
  }

  async setLeverage(): Promise<void> {
    throw new AppError('the offline paper exchange trades spot only', {
      code: 'not_supported',
      kind: 'permanent',
    });
  }

  async setMarginMode(): Promise<void> {
    throw new AppError('the offline paper exchange trades spot only', {
      code: 'not_supported',
      kind: 'permanent',
    });
  }

  async close(): Promise<void> {
    // Shares the worker's Redis connection; only a market source has anything to close.
    await this.options.marketSource?.close();
  }
}

function offlineMarket(base: string, quote: string): Market {
  return {
    symbol: `${base}/${quote}`,
    id: `${base}${quote}`,
    base,
    quote,
    type: 'spot',
    active: true,
    precision: { amount: 1e-8, price: 1e-8 },
    limits: { amount: { min: 1e-8 }, cost: { min: 0 } },
  };
}
