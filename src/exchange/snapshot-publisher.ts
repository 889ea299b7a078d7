import {
  type AccountSnapshot,
  type AccountSnapshotStore,
  type SnapshotError,
  type SnapshotOrder,
  type SnapshotPosition,
} from '../control/account-snapshot';
import { type Logger } from '../observability/logger';
import { type ExchangeOrder, type ExchangeSession, type Position } from './exchange-session';

/** What the publisher needs to know of an account: never its keys. */
export interface SnapshotAccount {
  id: string;
  exchange: string;
  paper: boolean;
  sandbox: boolean;
  defaultType: 'spot' | 'swap';
}

export interface SnapshotPublisherOptions {
  accounts: SnapshotAccount[];
  session: (accountId: string) => ExchangeSession;
  /** Each account's breaker state now (absent: the account has none, e.g. offline paper). */
  breaker: (accountId: string) => string | undefined;
  store: AccountSnapshotStore;
  logger: Logger;
  /** A signal's snapshot waits this long, so that a burst of signals costs one. @defaultValue 1000 */
  debounceMs?: number;
  /** Every account is published this often. @defaultValue 60000 */
  intervalMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

/**
 * Publishes each account's snapshot (balances, positions, open orders, breaker, markets) to Redis, for the
 * web process's `GET /api/v1/accounts`: shortly after each signal (debounced) and every minute. A part that
 * cannot be read keeps its previous value and is named in `errors`; publishing never throws.
 */
export class SnapshotPublisher {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private interval?: NodeJS.Timeout;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotPublisherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Publishes every account now, then every `intervalMs`. */
  start(): void {
    this.publishAll();
    this.interval = setInterval(() => this.publishAll(), this.options.intervalMs ?? 60_000);
    this.interval.unref();
  }

  /** Publishes the account after the debounce delay (one publication for a burst of requests). */
  requestSoon(accountId: string): void {
    if (this.closed || this.pending.has(accountId)) return;
    if (!this.options.accounts.some((a) => a.id === accountId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(accountId);
      this.track(this.publish(accountId));
    }, this.options.debounceMs ?? 1_000);
    timer.unref();
    this.pending.set(accountId, timer);
  }

  /** Takes and stores one account's snapshot now. */
  async publish(accountId: string): Promise<void> {
    const account = this.options.accounts.find((a) => a.id === accountId);
    if (!account) return;
    try {
      await this.options.store.save(await this.take(account));
    } catch (error) {
      this.options.logger.warn('account snapshot not published', {
        account: accountId,
        error: (error as Error).message,
      });
    }
  }

  /** Stops the timers and waits for publications in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.interval);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.running]);
  }

  private publishAll(): void {
    if (this.closed) return;
    for (const account of this.options.accounts) this.track(this.publish(account.id));
  }

  private track(publication: Promise<void>): void {
    this.running.add(publication);
    void publication.finally(() => this.running.delete(publication));
  }

  private async take(account: SnapshotAccount): Promise<AccountSnapshot> {
    const session = this.options.session(account.id);
    const previous = await this.options.store.get(account.id);
    const errors: SnapshotError[] = [];
    const part = async <T>(name: SnapshotError['part'], read: () => Promise<T>, kept: T): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        // Only the error's code: an exchange's message may quote the signed request it refused.
        const code = (error as { code?: unknown }).code;
        errors.push({ part: name, message: typeof code === 'string' ? code : 'unexpected' });
        return kept;
      }
    };
    const marketsLoaded = await part('markets', async () => (await session.markets(), true), false);
    const balances = await part('balances', () => session.fetchBalance(), previous?.balances ?? null);
    const positions = await part(
      'positions',
      async () => (await session.fetchPositions()).map(toSnapshotPosition),
      previous?.positions ?? null,
    );
    const openOrders = await part(
      'openOrders',
      async () => (await session.fetchOpenOrders()).map(toSnapshotOrder),
      previous?.openOrders ?? null,
    );
    return {
      ...account,
      marketsLoaded,
      breaker: this.options.breaker(account.id) ?? null,
      snapshotAt: new Date(this.now()).toISOString(),
      balances,
      positions,
      openOrders,
      errors,
    };
  }
}

function toSnapshotPosition(p: Position): SnapshotPosition {
  return {
    symbol: p.symbol,
    contracts: p.contracts,
    side: p.side,
    entryPrice: p.entryPrice ?? null,
    unrealizedPnl: p.unrealizedPnl ?? null,
  };
}

function toSnapshotOrder(o: ExchangeOrder): SnapshotOrder {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId ?? null,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.price ?? null,
    filled: o.filled,
    status: o.status,
  };
}
