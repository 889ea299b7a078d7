import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import { type DeadLetterAck } from './signal-detail';
import { type SignalListItem } from './signal-list-item';

/**
 * Moves a signal from the dead letters to the handled ones with its acknowledgement. KEYS: dead letters,
 * handled, record. ARGV: signal id, handledAt (ms), acknowledgement JSON. Returns 'ok', 'handled' (already
 * acknowledged), or 'absent' (not a dead letter).
 */
const ACK = defineLuaScript<string>(
  'thDeadLetterAck',
  3,
  `
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 'handled' end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'absent' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[3], 'deadLetter', ARGV[3])
return 'ok'`,
);

/** A dead letter as listed: the signal's list item, when it failed, and its acknowledgement if any. */
export interface DeadLetterEntry extends SignalListItem {
  failedAt: string;
  deadLetter: DeadLetterAck | null;
}

/** Where a dead-letter page ended: the entry's score (ms) and id. */
export interface DeadLetterPosition {
  s: number;
  id: string;
}

/**
 * The dead-letter list: signals that ended `failed` (incl. `order_state_unknown`), kept in line by the
 * status scripts (a signal leaves it when the reconciler settles it or it is retried), and the acknowledged
 * ones. Unhandled are listed oldest first (the longest waiting on top), handled newest acknowledgement first.
 */
export class DeadLetterList {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async list(options: {
    handled: boolean;
    limit: number;
    after?: DeadLetterPosition;
  }): Promise<{ items: DeadLetterEntry[]; next: DeadLetterPosition | null }> {
    const key = options.handled ? this.keys.deadLetterHandled : this.keys.deadLetter;
    const ascending = !options.handled;
    const after = options.after;
    const entries: DeadLetterPosition[] = [];
    let offset = 0;
    let exhausted = false;
    // Entries at the cursor's own time it already passed are skipped; read on until the page is full.
    while (entries.length <= options.limit && !exhausted) {
      const batch = options.limit + 20;
      const flat = ascending
        ? await this.redis.zrangebyscore(
            key,
            after?.s ?? '-inf',
            '+inf',
            'WITHSCORES',
            'LIMIT',
            offset,
            batch,
          )
        : await this.redis.zrevrangebyscore(
            key,
            after?.s ?? '+inf',
            '-inf',
            'WITHSCORES',
            'LIMIT',
            offset,
            batch,
          );
      offset += flat.length / 2;
      exhausted = flat.length / 2 < batch;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const entry = { id: flat[i], s: Number(flat[i + 1]) };
        const passed =
          after && entry.s === after.s && (ascending ? entry.id <= after.id : entry.id >= after.id);
        if (!passed) entries.push(entry);
      }
    }
    const page = entries.slice(0, options.limit);
    const pipeline = this.redis.pipeline();
    for (const { id } of page) pipeline.hmget(this.keys.signal(id), 'item', 'deadLetter', 'finishedAt');
    const replies = (await pipeline.exec()) ?? [];
    const items: DeadLetterEntry[] = [];
    page.forEach((entry, i) => {
      const [item, ack, finishedAt] = (replies[i]?.[1] ?? []) as (string | null)[];
      if (!item) return; // expired meanwhile; the retention sweep removes it from the list
      items.push({
        ...(JSON.parse(item) as SignalListItem),
        failedAt: new Date(options.handled && finishedAt ? Number(finishedAt) : entry.s).toISOString(),
        deadLetter: ack ? (JSON.parse(ack) as DeadLetterAck) : null,
      });
    });
    const last = page[page.length - 1];
    return { items, next: entries.length > options.limit && last ? last : null };
  }

  /** Acknowledges a dead letter. */
  async ack(
    signalId: string,
    ack: { at: number; by: string; note?: string },
  ): Promise<{ state: 'ok'; deadLetter: DeadLetterAck } | { state: 'handled' | 'absent' }> {
    const deadLetter: DeadLetterAck = {
      handledAt: new Date(ack.at).toISOString(),
      handledBy: ack.by,
      note: ack.note ?? null,
    };
    const result = await ACK.run(
      this.redis,
      [this.keys.deadLetter, this.keys.deadLetterHandled, this.keys.signal(signalId)],
      [signalId, ack.at, JSON.stringify(deadLetter)],
    );
    if (result === 'ok') return { state: 'ok', deadLetter };
    return { state: result === 'handled' ? 'handled' : 'absent' };
  }
}
