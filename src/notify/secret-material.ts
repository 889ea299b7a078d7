import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { type Signing } from './subscription';

/** One key that signs deliveries; an outgoing key keeps signing until `expiresAt` (rotation window). */
export interface SigningKey {
  /** `whsec_<base64>` (HMAC) or `whsk_<base64 seed‖public key>` (ed25519). */
  secret: string;
  /** Epoch ms after which the key no longer signs; null for the current key. */
  expiresAt: number | null;
}

/** Everything secret about one subscription: kept only in the secret store. */
export interface SecretMaterial {
  keys: SigningKey[];
  /** Telegram's bot token and chat id: secrets like any other (the token is a credential of the bot). */
  telegram?: { botToken: string; chatId: string };
  /** Extra request headers: often a receiver's own credential (`authorization`), so kept as secrets. */
  headers?: Record<string, string>;
  /**
   * Whole urls that are credentials (Discord, Slack: the token is the path), by url hash; the record holds
   * the masked url and the hash of the one it delivers to. Keyed by hash so that a url change is written
   * here first and switched to atomically by the record.
   */
  urls?: Record<string, string>;
}

/** How long an old secret keeps signing after a rotation, so receivers can switch without losing a delivery. */
export const ROTATION_WINDOW_MS = 24 * 3_600_000;

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A new HMAC secret: `whsec_` + 32 random bytes, base64 (the Standard Webhooks format). */
export function generateHmacSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A new ed25519 key pair in the Standard Webhooks format: `whsk_` (seed‖public key) and `whpk_` (public key). */
export function generateEd25519Secret(): { secret: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(ED25519_PKCS8_PREFIX.length);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length);
  return {
    secret: `whsk_${Buffer.concat([seed, pub]).toString('base64')}`,
    publicKey: `whpk_${pub.toString('base64')}`,
  };
}

/** Generates the key a new (or rotated) subscription signs with. */
export function generateSecret(signing: Signing): { secret: string; shown: string } {
  if (signing === 'hmac') {
    const secret = generateHmacSecret();
    return { secret, shown: secret };
  }
  const { secret, publicKey } = generateEd25519Secret();
  return { secret, shown: publicKey };
}

/**
 * Why a secret given by a caller is not usable, or undefined when it is: `whsec_` followed by base64 of
 * 24-64 bytes (what Svix and the Standard Webhooks libraries accept).
 */
export function givenSecretProblem(secret: string): string | undefined {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match) return 'must be whsec_ followed by base64';
  const bytes = Buffer.from(match[1], 'base64').length;
  if (bytes < 24 || bytes > 64) return 'must hold 24-64 bytes of key (base64 after whsec_)';
  return undefined;
}

/** The HMAC key bytes of a `whsec_` secret. */
export function hmacKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

/** The node:crypto private key of a `whsk_` secret. */
export function ed25519PrivateKey(secret: string) {
  const seed = Buffer.from(secret.slice('whsk_'.length), 'base64').subarray(0, 32);
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The node:crypto public key of a `whpk_` public key. */
export function ed25519PublicKey(publicKey: string) {
  const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The `whpk_` public key belonging to a `whsk_` secret. */
export function publicKeyOf(secret: string): string {
  return `whpk_${Buffer.from(secret.slice('whsk_'.length), 'base64').subarray(32).toString('base64')}`;
}

/**
 * What an answer may show of a secret after its creation: `whsec_…abcd` (the last four characters, enough to
 * tell two secrets apart); an ed25519 subscription shows its public key, which is not a secret.
 */
export function secretHint(secret: string): string {
  if (secret.startsWith('whsk_')) return publicKeyOf(secret);
  return `whsec_…${secret.slice(-4)}`;
}
