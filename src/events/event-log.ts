import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import { type EventType, type LoggedEvent, type TradehookEvent, isEventType } from './event-types';

/**
 * A new event, not yet written. Build it where the change happens, then either `append` it, or pass
 * {@link eventFields} into the same Lua script that makes the change, so that the change and its event are
 * written together or not at all.
 */
export function newEvent(
  type: EventType,
  data: Record<string, unknown>,
  now: number = Date.now(),
): TradehookEvent {
  // randomUUID draws from a cached entropy pool; randomBytes(12) was a getrandom system call per event,
  // one per accepted alert (issue 7's burst profile). 24 hex digits, as before (90 random bits).
  const id = `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return { id, type, timestamp: new Date(now).toISOString(), data };
}

/** The stream entry's field/value pairs for an event (one field, the event's JSON). */
export function eventFields(event: TradehookEvent): [string, string] {
  return ['e', JSON.stringify(event)];
}

/**
 * The Lua statement that appends an event to the log, for scripts that change state and must write the
 * change and its event in one atomic step. The arguments are Lua expressions: the stream key, the length
 * cap and the event's JSON (e.g. `xaddEventLua('KEYS[2]', 'ARGV[3]', 'ARGV[4]')`). The stream format lives
 * here and in {@link eventFields} only.
 */
export function xaddEventLua(keyExpr: string, maxLengthExpr: string, jsonExpr: string): string {
  return `redis.call('XADD', ${keyExpr}, 'MAXLEN', '~', ${maxLengthExpr}, '*', 'e', ${jsonExpr})`;
}

export interface EventLogOptions {
  redis: Redis;
  /** The stream's key (`redisKeys(prefix).events`). */
  key: string;
  /**
   * Roughly how many events the log keeps (trimmed approximately on every append, cheap). Time-based
   * retention is {@link EventLog.trimBefore}, run by the worker's housekeeping. @defaultValue 200000
   */
  maxLength?: number;
}

/**
 * The event log: one Redis stream, written once per event, read by the notification fan-out (a consumer
 * group in the worker) and by the web process's live stream (plain reads from a position).
 */
export class EventLog {
  readonly key: string;
  readonly maxLength: number;

  constructor(private readonly options: EventLogOptions) {
    this.key = options.key;
    this.maxLength = options.maxLength ?? 200_000;
  }

  /** Appends an event on its own (for changes that are not a Lua script). Returns its position. */
  async append(event: TradehookEvent): Promise<string> {
    const position = await this.options.redis.xadd(
      this.key,
      'MAXLEN',
      '~',
      this.maxLength,
      '*',
      ...eventFields(event),
    );
    return position ?? '';
  }

  /**
   * Events after `position` (exclusive), oldest first, at most `count`. `position` `'0'` reads from the
   * start; an event written in the same millisecond as `position` but later is still returned.
   */
  async readAfter(position: string, count = 100): Promise<LoggedEvent[]> {
    const entries = await this.options.redis.xrange(this.key, `(${position}`, '+', 'COUNT', count);
    return parseEntries(entries);
  }

  /** Events logged at or after `sinceMs` (epoch ms), oldest first, at most `count`. */
  async readSince(sinceMs: number, count = 1000): Promise<LoggedEvent[]> {
    const entries = await this.options.redis.xrange(
      this.key,
      String(Math.max(0, sinceMs)),
      '+',
      'COUNT',
      count,
    );
    return parseEntries(entries);
  }

  /**
   * The log's counters (`XINFO STREAM`): the last position it ever gave, how many events were ever added and
   * how many are left. Trimming removes the oldest first, so the oldest event left is number `added - length
   * + 1`. A log that does not exist yet has none.
   */
  async info(): Promise<{ last: string; added: number; length: number }> {
    const info = (await this.options.redis.call('XINFO', 'STREAM', this.key).catch((error: Error) => {
      if (/no such key/i.test(error.message)) return [];
      throw error;
    })) as unknown[];
    if (info.length === 0) return { last: '0', added: 0, length: 0 };
    const field = (name: string) => info[info.indexOf(name) + 1];
    return {
      last: String(field('last-generated-id')),
      added: Number(field('entries-added')),
      length: Number(field('length')),
    };
  }

  /** The newest position, or `'0'` when the log is empty (a live reader starts after it). */
  async head(): Promise<string> {
    const [last] = await this.options.redis.xrevrange(this.key, '+', '-', 'COUNT', 1);
    return last ? last[0] : '0';
  }

  /** Removes events older than `beforeMs` (epoch ms). Returns how many were removed. */
  async trimBefore(beforeMs: number): Promise<number> {
    // Exact, not `~`: an approximate trim keeps whole stream nodes, i.e. nothing at all on a small log.
    return this.options.redis.xtrim(this.key, 'MINID', String(Math.max(0, beforeMs)));
  }
}

/** Stream entries to events; an entry that does not parse (written by a newer version) is skipped. */
export function parseEntries(entries: Array<[string, string[]]>): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const [position, fields] of entries) {
    const json = fields[fields.indexOf('e') + 1];
    if (!json) continue;
    try {
      const event = JSON.parse(json) as TradehookEvent;
      if (typeof event.id === 'string' && isEventType(event.type)) events.push({ ...event, position });
    } catch {
      // Skipped deliberately: one malformed entry must not stop every reader behind it.
    }
  }
  return events;
}
