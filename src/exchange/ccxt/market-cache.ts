import type { MarketMap } from '../exchange-session';

export interface MarketCacheOptions {
  /** Loads a fresh market map (the session passes ccxt's `loadMarkets(true)` under its read policy). */
  load: () => Promise<MarketMap>;
  /** Told about every failed background refresh; the old map keeps being served. */
  onRefreshError: (error: unknown) => void;
  /** Told about every successful background refresh. */
  onRefreshed?: (markets: MarketMap) => void;
}

/**
 * Markets of one session: loaded once, shared by concurrent callers, refreshed in the background.
 *
 * Once a map is loaded, `get()` answers from memory and never waits: a refresh replaces the map only after it
 * succeeded. A failed cold load is not cached, so the next caller tries again.
 */
export class MarketCache {
  private current: MarketMap | undefined;
  private loading: Promise<MarketMap> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MarketCacheOptions) {}

  /** The cached map, loading it first if there is none yet. */
  get(): Promise<MarketMap> {
    return this.current ? Promise.resolve(this.current) : this.loadShared();
  }

  /** Reloads now; a failure is reported through `onRefreshError` and the old map stays. */
  async refresh(): Promise<void> {
    try {
      const markets = await this.loadShared();
      this.options.onRefreshed?.(markets);
    } catch (error) {
      this.options.onRefreshError(error);
    }
  }

  /** Refreshes every `intervalMs` until {@link stop}; the timer never keeps the process alive. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves once no load is in flight (after {@link stop}: nothing starts another). Never rejects. */
  async idle(): Promise<void> {
    await this.loading?.catch(() => undefined);
  }

  /** One load at a time: a refresh and cold callers arriving together share it. */
  private loadShared(): Promise<MarketMap> {
    this.loading ??= this.options
      .load()
      .then((markets) => {
        this.current = markets;
        return markets;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
