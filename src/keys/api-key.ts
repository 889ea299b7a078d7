import { type Role } from './roles';

/** A management API key as stored: never the key itself, only its SHA-256. Times are epoch milliseconds. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the raw key, hex. Never leaves the key store. */
  hash: string;
  createdAt: number;
  expiresAt?: number;
  /** Updated at most once a minute per key. */
  lastUsedAt?: number;
  revokedAt?: number;
  /** Requests per minute; unset means `API_RATE_LIMIT_PER_MINUTE`. */
  rateLimitPerMinute?: number;
  /** Installed from `ADMIN_API_KEY`; replaced when that variable changes. */
  bootstrap: boolean;
}

export type ApiKeyState = 'active' | 'expired' | 'revoked';

export function keyState(record: Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt'>, now: number): ApiKeyState {
  if (record.revokedAt !== undefined) return 'revoked';
  if (record.expiresAt !== undefined && record.expiresAt <= now) return 'expired';
  return 'active';
}

/** What the API and the CLI show of a key: everything but its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  state: ApiKeyState;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rateLimitPerMinute: number;
  bootstrap: boolean;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function viewOf(record: ApiKeyRecord, options: { now: number; defaultRateLimit: number }): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    state: keyState(record, options.now),
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: iso(record.expiresAt),
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
    rateLimitPerMinute: record.rateLimitPerMinute ?? options.defaultRateLimit,
    bootstrap: record.bootstrap,
  };
}
