import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every API key starts with this, so that secret scanners (and people) recognise a leaked one. */
export const API_KEY_PREFIX = 'th_';

/**
 * The shape of a key we could have issued (or an operator set as `ADMIN_API_KEY`). Anything else is refused
 * before hashing: a 1 MB header must not cost a 1 MB hash.
 */
const API_KEY_SHAPE = /^th_[A-Za-z0-9_-]{32,256}$/;

export function isWellFormedApiKey(value: string): boolean {
  return API_KEY_SHAPE.test(value);
}

/** A new raw key: `th_` and 32 random bytes in base64url (256 bits). Shown once, never stored. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** A new random opaque token (session cookies): 32 random bytes in base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, hex: what is stored and looked up instead of the secret itself. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A key's public id: random, so that ids reveal neither the key nor how many keys exist. */
export function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/**
 * Constant-time equality of two hex digests. The lookup by hash already found the record; comparing the
 * stored digest once more, without an early exit, keeps the check independent of Redis's hash-table walk.
 */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

/** Constant-time equality of two secrets of any length (both are hashed first, so lengths do not leak). */
export function secretsEqual(presented: string, expected: string): boolean {
  return digestsEqual(sha256Hex(presented), sha256Hex(expected));
}
