import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { type Delivery, type DeliveryStatus } from './delivery';

export interface DeliveryFilter {
  subscriptionId?: string;
  event?: string;
  status?: DeliveryStatus;
  /** Epoch ms: created at or after. */
  since?: number;
}

const member = (d: Pick<Delivery, 'createdAt' | 'id'>) => `${String(d.createdAt).padStart(13, '0')}:${d.id}`;
/** Members scanned per list request at most: a filter that matches rarely answers a short page, not a slow one. */
const SCAN_LIMIT = 2000;

/** How long retention waits before scanning again deliveries it had to keep (each round would read them whole). */
const RESCAN_AFTER_MS = 10_000;

/** Deliveries with their attempts (JSON per delivery) and an index by creation for lists and retention. */
export class DeliveryStore {
  /** Retention cut-off below which {@link removeBefore} does not scan again (it found only deliveries still retried). */
  private quietUntil = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<RedisKeys, 'delivery' | 'deliveryIndex'>,
  ) {}

  /** Stores a new delivery unless one with its id exists. True when it was created. */
  async create(delivery: Delivery): Promise<boolean> {
    const created = await this.redis.set(this.keys.delivery(delivery.id), JSON.stringify(delivery), 'NX');
    if (created === null) return false;
    await this.redis.zadd(this.keys.deliveryIndex, 0, member(delivery));
    return true;
  }

  async get(id: string): Promise<Delivery | undefined> {
    if (!/^dlv_[0-9a-f]{24}$/.test(id)) return undefined;
    const json = await this.redis.get(this.keys.delivery(id));
    return json === null ? undefined : (JSON.parse(json) as Delivery);
  }

  /** Saves a changed delivery; one that retention already removed stays removed. */
  async save(delivery: Delivery): Promise<void> {
    await this.redis.set(this.keys.delivery(delivery.id), JSON.stringify(delivery), 'XX');
  }

  /** Newest first, filtered; `after` is the previous page's last position. */
  async list(
    filter: DeliveryFilter,
    page: { limit: number; after?: string },
  ): Promise<{ deliveries: Delivery[]; next: string | null }> {
    const found: Delivery[] = [];
    let position = page.after;
    const floor = filter.since === undefined ? '-' : `[${String(filter.since).padStart(13, '0')}`;
    let scanned = 0;
    while (found.length < page.limit && scanned < SCAN_LIMIT) {
      const members = await this.redis.zrevrangebylex(
        this.keys.deliveryIndex,
        position === undefined ? '+' : `(${position}`,
        floor,
        'LIMIT',
        0,
        100,
      );
      if (members.length === 0) return { deliveries: found, next: null };
      const values = await this.redis.mget(members.map((m) => this.keys.delivery(m.slice(14))));
      for (let i = 0; i < members.length; i++) {
        scanned++;
        position = members[i];
        const json = values[i];
        if (json === null) continue;
        const delivery = JSON.parse(json) as Delivery;
        if (matches(delivery, filter)) found.push(delivery);
        if (found.length === page.limit) break;
      }
    }
    return { deliveries: found, next: position ?? null };
  }

  /**
   * Removes up to `batch` deliveries created before `beforeMs` (retention, a little at a time). One still
   * being retried (pending, its next attempt due after `beforeMs`) is kept until it ends, whatever the
   * retention: a short `DELIVERY_RETENTION_HOURS`, or `Retry-After`s stretching the schedule, must not drop
   * a delivery between its attempts. A pending one whose attempt was due before `beforeMs` is stuck and goes.
   * A scan that found only such kept ones is not repeated for {@link RESCAN_AFTER_MS} (it reads them whole).
   */
  async removeBefore(beforeMs: number, batch = 200): Promise<number> {
    if (beforeMs < this.quietUntil) return 0;
    const ceiling = `(${String(beforeMs).padStart(13, '0')}`;
    let kept = 0;
    let removed = 0;
    // A few pages at most: kept deliveries at the front must not stop the ones behind them from going.
    for (let page = 0; page < 5 && removed < batch; page++) {
      const members = await this.redis.zrangebylex(
        this.keys.deliveryIndex,
        '-',
        ceiling,
        'LIMIT',
        kept,
        batch,
      );
      if (members.length === 0) break;
      const values = await this.redis.mget(members.map((m) => this.keys.delivery(m.slice(14))));
      const gone = members.filter((_m, i) => !stillRetrying(values[i], beforeMs));
      kept += members.length - gone.length;
      if (gone.length === 0) continue;
      await this.redis
        .multi()
        .del(...gone.map((m) => this.keys.delivery(m.slice(14))))
        .zrem(this.keys.deliveryIndex, ...gone)
        .exec();
      removed += gone.length;
    }
    if (removed === 0 && kept > 0) this.quietUntil = beforeMs + RESCAN_AFTER_MS;
    return removed;
  }
}

function stillRetrying(json: string | null, beforeMs: number): boolean {
  if (json === null) return false;
  const { status, nextAttemptAt } = JSON.parse(json) as Delivery;
  return status === 'pending' && nextAttemptAt !== null && nextAttemptAt >= beforeMs;
}

function matches(d: Delivery, filter: DeliveryFilter): boolean {
  return (
    (filter.subscriptionId === undefined || d.subscriptionId === filter.subscriptionId) &&
    (filter.event === undefined || d.event.type === filter.event) &&
    (filter.status === undefined || d.status === filter.status)
  );
}
