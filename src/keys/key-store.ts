import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { type ApiKeyRecord } from './api-key';
import { generateApiKey, newKeyId, sha256Hex } from './key-material';
import { CHECK_KEY, CREATE_KEY, REVOKE_KEY } from './key-scripts';
import { type Role, isRole } from './roles';

/** What a new key is made of; the raw key is generated (or, for `ADMIN_API_KEY`, given) elsewhere. */
export interface NewKey {
  name: string;
  role: Role;
  expiresAt?: number;
  rateLimitPerMinute?: number;
  bootstrap?: boolean;
}

export type RevokeResult =
  { outcome: 'revoked' | 'already'; revokedAt: number } | { outcome: 'not_found' | 'last_admin' };

/** What one authenticated request learns about its key (see {@link KeyStore.check}). */
export interface KeyCheck {
  hash: string;
  name: string;
  role: Role;
  expiresAt?: number;
  revokedAt?: number;
  rateLimitPerMinute?: number;
  /** Requests counted in the current window, this one included (0 when the key is not active). */
  hits: number;
  /** Time left in the current window. */
  windowLeftMs: number;
}

export interface KeyCheckOptions {
  now: number;
  /** Length of a rate-limit window. */
  windowMs: number;
  /** Last-used is written at most this often per key. */
  lastUsedEveryMs: number;
}

const optionalNumber = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * Management API keys in Redis. A key is stored only as the SHA-256 of its raw value; the raw key exists in
 * the answer that creates it and nowhere else. Records are kept after revocation (listing, audit).
 */
export class KeyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Generates a key, stores its hash, returns the raw key (to be shown once) and the record. */
  async issue(input: NewKey, now: number): Promise<{ rawKey: string; record: ApiKeyRecord }> {
    const rawKey = generateApiKey();
    const { record } = await this.install(input, sha256Hex(rawKey), now);
    return { rawKey, record };
  }

  /**
   * Stores a key by its hash. When the hash is already known nothing is written and `created` is false
   * (the existing record is returned): how `ADMIN_API_KEY` is installed idempotently by every web process.
   */
  async install(
    input: NewKey,
    hash: string,
    now: number,
  ): Promise<{ record: ApiKeyRecord; created: boolean }> {
    const record: ApiKeyRecord = {
      id: newKeyId(),
      name: input.name,
      role: input.role,
      hash,
      createdAt: now,
      expiresAt: input.expiresAt,
      rateLimitPerMinute: input.rateLimitPerMinute,
      bootstrap: input.bootstrap ?? false,
    };
    const fields = ['id', record.id, 'name', record.name, 'role', record.role, 'hash', hash];
    fields.push('createdAt', String(now), 'bootstrap', record.bootstrap ? '1' : '0');
    if (record.expiresAt !== undefined) fields.push('expiresAt', String(record.expiresAt));
    if (record.rateLimitPerMinute !== undefined) fields.push('rateLimit', String(record.rateLimitPerMinute));
    const k = this.keys;
    const id = await CREATE_KEY.run(
      this.redis,
      [k.apiKeyByHash, k.apiKey(record.id), k.apiKeyIndex, k.apiKeyAdmins],
      [hash, record.id, indexMember(now, record.id), record.role, ...fields],
    );
    if (id === record.id) return { record, created: true };
    const existing = await this.get(id);
    if (!existing) throw new Error(`API key index names ${id}, which has no record`);
    return { record: existing, created: false };
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    if (!/^key_[0-9a-f]{16}$/.test(id)) return undefined;
    return parseRecord(await this.redis.hgetall(this.keys.apiKey(id)));
  }

  /** The id of the key whose raw value hashes to `hash`, if any. */
  async idForHash(hash: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.apiKeyByHash, hash)) ?? undefined;
  }

  /**
   * Keys newest first, `limit` at a time. `after` is the `next` of the previous page: an index member,
   * which the API wraps in an opaque cursor.
   */
  async list(options: {
    limit: number;
    after?: string;
  }): Promise<{ records: ApiKeyRecord[]; next?: string }> {
    const max = options.after === undefined ? '+' : `(${options.after}`;
    const members = await this.redis.zrevrangebylex(
      this.keys.apiKeyIndex,
      max,
      '-',
      'LIMIT',
      0,
      options.limit + 1,
    );
    const page = members.slice(0, options.limit);
    const pipeline = this.redis.pipeline();
    for (const member of page) pipeline.hgetall(this.keys.apiKey(idOfMember(member)));
    const replies = (await pipeline.exec()) ?? [];
    const records = replies
      .map(([, reply]) => parseRecord(reply as Record<string, string>))
      .filter((r): r is ApiKeyRecord => r !== undefined);
    return { records, next: members.length > options.limit ? page[page.length - 1] : undefined };
  }

  /** The active keys installed from `ADMIN_API_KEY` (at most one, unless an install raced a change). */
  async activeBootstrapKeys(now: number): Promise<ApiKeyRecord[]> {
    const ids = await this.redis.smembers(this.keys.apiKeyAdmins);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter(
      (r): r is ApiKeyRecord =>
        r !== undefined && r.bootstrap && r.revokedAt === undefined && (r.expiresAt ?? Infinity) > now,
    );
  }

  /**
   * Revokes a key and ends its sessions at once. `guardLastAdmin` refuses to revoke the last active admin
   * key (the API sets it; the CLI, which can always create a new key, does not).
   */
  async revoke(id: string, options: { now: number; guardLastAdmin: boolean }): Promise<RevokeResult> {
    if (!/^key_[0-9a-f]{16}$/.test(id)) return { outcome: 'not_found' };
    const k = this.keys;
    const [outcome, at] = await REVOKE_KEY.run(
      this.redis,
      [k.apiKey(id), k.apiKeyAdmins, k.keySessions(id)],
      [options.now, options.guardLastAdmin ? '1' : '0', k.apiKeyRecordPrefix, k.session(''), id],
    );
    if (outcome === 'revoked' || outcome === 'already') return { outcome, revokedAt: Number(at) };
    if (outcome === 'last_admin') return { outcome };
    return { outcome: 'not_found' };
  }

  /**
   * Reads a key for one request and, if it is active, counts the request against its rate limit and
   * refreshes last-used (at most once per `lastUsedEveryMs`). One Redis round trip.
   */
  async check(id: string, options: KeyCheckOptions): Promise<KeyCheck | undefined> {
    const reply = await CHECK_KEY.run(
      this.redis,
      [this.keys.apiKey(id), this.keys.apiKeyRateLimit(id)],
      [options.now, options.windowMs, options.lastUsedEveryMs],
    );
    if (!reply) return undefined;
    const [hash, name, role, expiresAt, revokedAt, rateLimit, hits, ttl] = reply;
    if (!isRole(role)) return undefined;
    return {
      hash,
      name,
      role,
      expiresAt: optionalNumber(expiresAt),
      revokedAt: optionalNumber(revokedAt),
      rateLimitPerMinute: optionalNumber(rateLimit),
      hits: Number(hits),
      windowLeftMs: Number(ttl),
    };
  }
}

/** Index members sort by creation time (13-digit epoch ms), then id. */
function indexMember(createdAt: number, id: string): string {
  return `${String(createdAt).padStart(13, '0')}:${id}`;
}

function idOfMember(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

function parseRecord(hash: Record<string, string>): ApiKeyRecord | undefined {
  if (!hash.id || !hash.hash || !isRole(hash.role)) return undefined;
  return {
    id: hash.id,
    name: hash.name ?? '',
    role: hash.role,
    hash: hash.hash,
    createdAt: Number(hash.createdAt),
    expiresAt: optionalNumber(hash.expiresAt),
    lastUsedAt: optionalNumber(hash.lastUsedAt),
    revokedAt: optionalNumber(hash.revokedAt),
    rateLimitPerMinute: optionalNumber(hash.rateLimit),
    bootstrap: hash.bootstrap === '1',
  };
}
