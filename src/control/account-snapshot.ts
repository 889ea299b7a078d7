import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';

/** A balance as snapshots show it. */
export interface SnapshotBalance {
  free: number;
  used: number;
  total: number;
}

export interface SnapshotPosition {
  symbol: string;
  /** Signed: short < 0. */
  contracts: number;
  side: 'long' | 'short' | 'flat';
  entryPrice: number | null;
  unrealizedPnl: number | null;
}

export interface SnapshotOrder {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  amount: number;
  price: number | null;
  filled: number;
  status: string;
}

/** A part of the snapshot the worker could not read this time (its previous value is kept). */
export interface SnapshotError {
  part: 'markets' | 'balances' | 'positions' | 'openOrders';
  /** The error's code (`exchange_unavailable`, `circuit_open`, `authentication`…), never the exchange's words. */
  message: string;
}

/**
 * One account as its worker last saw it, published to Redis for the web process (which never talks to an
 * exchange). Never holds a key or secret: only what the exchange answered about the account.
 */
export interface AccountSnapshot {
  id: string;
  exchange: string;
  paper: boolean;
  sandbox: boolean;
  defaultType: 'spot' | 'swap';
  marketsLoaded: boolean;
  /** `closed` | `open` | `half-open` | `isolated`; null for the offline paper exchange (it has none). */
  breaker: string | null;
  /** When this snapshot was taken (ISO-8601). */
  snapshotAt: string;
  balances: Record<string, SnapshotBalance> | null;
  positions: SnapshotPosition[] | null;
  openOrders: SnapshotOrder[] | null;
  errors: SnapshotError[];
}

/** Account snapshots in Redis: one hash, a JSON field per account (`keys.accountSnapshots`). */
export class AccountSnapshotStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async save(snapshot: AccountSnapshot): Promise<void> {
    await this.redis.hset(this.keys.accountSnapshots, snapshot.id, JSON.stringify(snapshot));
  }

  async get(accountId: string): Promise<AccountSnapshot | undefined> {
    return parse(await this.redis.hget(this.keys.accountSnapshots, accountId));
  }

  async all(): Promise<Map<string, AccountSnapshot>> {
    const fields = await this.redis.hgetall(this.keys.accountSnapshots);
    const result = new Map<string, AccountSnapshot>();
    for (const [id, json] of Object.entries(fields)) {
      const snapshot = parse(json);
      if (snapshot) result.set(id, snapshot);
    }
    return result;
  }
}

function parse(json: string | null | undefined): AccountSnapshot | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as AccountSnapshot;
  } catch {
    // Written by another version: shown as "no snapshot yet" rather than failing the whole list.
    return undefined;
  }
}
