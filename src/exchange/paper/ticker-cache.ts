export interface TickerCacheOptions {
  /** The exchange's last price (the market source's `fetchPrice`). */
  fetchPrice: (symbol: string) => Promise<number>;
  /** A price younger than this is reused instead of asking again. @defaultValue 1000 */
  maxAgeMs?: number;
  now: () => number;
}

/**
 * The live prices of a paper account over a real exchange: at most one ticker request per symbol per `maxAgeMs`,
 * however many orders are being followed, and concurrent callers share one request.
 */
export class TickerCache {
  private readonly prices = new Map<string, { price: number; at: number }>();
  private readonly pending = new Map<string, Promise<number>>();

  constructor(private readonly options: TickerCacheOptions) {}

  /** The last price of `symbol`; `fresh` skips the cache (placing an order), though it joins a request in flight. */
  async price(symbol: string, options: { fresh?: boolean } = {}): Promise<number> {
    const cached = this.prices.get(symbol);
    const maxAge = options.fresh ? 0 : (this.options.maxAgeMs ?? 1000);
    if (cached && this.options.now() - cached.at < maxAge) return cached.price;
    const running = this.pending.get(symbol);
    if (running) return running;
    const request = this.options
      .fetchPrice(symbol)
      .then((price) => {
        this.prices.set(symbol, { price, at: this.options.now() });
        return price;
      })
      .finally(() => this.pending.delete(symbol));
    this.pending.set(symbol, request);
    return request;
  }
}
