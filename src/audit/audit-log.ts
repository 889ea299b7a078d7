import { type Redis } from 'ioredis';

/** Who made a change: an API key (directly or through a session), the keys CLI, or tradehook itself. */
export interface AuditActor {
  keyId: string | null;
  keyName: string;
  via: 'bearer' | 'session' | 'cli' | 'system';
}

export interface AuditInput {
  actor: AuditActor;
  /** What was attempted, `<resource>.<verb>`, e.g. `key.create`. */
  action: string;
  /** What it was done to, e.g. `key:key_0123…`; null when there is no single target. */
  target: string | null;
  requestId: string | null;
  /** The HTTP status answered (0 outside HTTP: CLI, start-up). */
  status: number;
  outcome: 'success' | 'failure';
}

export interface AuditEntry extends AuditInput {
  /** The stream entry id: also the pagination cursor. */
  id: string;
  at: string;
}

export interface AuditQuery {
  keyId?: string;
  action?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, inclusive. */
  until?: number;
  limit: number;
  /** The id of the last entry of the previous page. */
  after?: string;
}

/** How many entries one query reads at most while filtering; past it, the page ends with a cursor. */
const SCAN_BUDGET = 5_000;

const STREAM_ID = /^\d{1,15}-\d{1,15}$/;

export function isAuditCursor(value: string): boolean {
  return STREAM_ID.test(value);
}

/**
 * The audit trail: an append-only Redis stream of every write through the management API, newest last.
 * Entries older than the retention are trimmed by each append (`XADD … MINID`), a few at a time as they
 * age out, and by the worker's history retention sweep when no write comes (src/history/retention.ts). Nothing secret is ever written to it: no bodies, no keys.
 */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly options: { retentionMs: number; now?: () => number },
  ) {}

  async append(input: AuditInput): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const { actor } = input;
    await this.redis.xadd(
      this.key,
      'MINID',
      String(Math.max(0, now - this.options.retentionMs)),
      '*',
      'at',
      String(now),
      'keyId',
      actor.keyId ?? '',
      'keyName',
      actor.keyName,
      'via',
      actor.via,
      'action',
      input.action,
      'target',
      input.target ?? '',
      'requestId',
      input.requestId ?? '',
      'status',
      String(input.status),
      'outcome',
      input.outcome,
    );
  }

  /** Entries newest first, filtered; `next` continues after the last entry returned (or read). */
  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: string }> {
    const start = query.since === undefined ? '-' : String(query.since);
    let end =
      query.after !== undefined ? `(${query.after}` : query.until === undefined ? '+' : String(query.until);
    const entries: AuditEntry[] = [];
    const batch = Math.min(SCAN_BUDGET, Math.max(100, query.limit * 2));
    let scanned = 0;
    while (scanned < SCAN_BUDGET) {
      const rows = await this.redis.xrevrange(this.key, end, start, 'COUNT', batch);
      for (const [id, fields] of rows) {
        scanned++;
        const entry = parseEntry(id, fields);
        if (matches(entry, query)) entries.push(entry);
        if (entries.length === query.limit) return { entries, next: id };
      }
      if (rows.length < batch) return { entries };
      end = `(${rows[rows.length - 1][0]}`;
    }
    return { entries, next: end.slice(1) };
  }
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  return (
    (query.keyId === undefined || entry.actor.keyId === query.keyId) &&
    (query.action === undefined || entry.action === query.action)
  );
}

function parseEntry(id: string, flat: string[]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
  const via = f.via === 'session' || f.via === 'cli' || f.via === 'system' ? f.via : 'bearer';
  return {
    id,
    at: new Date(Number(f.at) || Number(id.split('-')[0])).toISOString(),
    actor: { keyId: f.keyId || null, keyName: f.keyName ?? '', via },
    action: f.action ?? '',
    target: f.target || null,
    requestId: f.requestId || null,
    status: Number(f.status) || 0,
    outcome: f.outcome === 'failure' ? 'failure' : 'success',
  };
}
