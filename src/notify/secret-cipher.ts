import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts subscription secrets at rest with AES-256-GCM under `SUBSCRIPTION_SECRETS_KEY` (32 bytes,
 * base64), each value bound to its subscription id (additional data), so that a value copied onto another
 * subscription does not decrypt. Without a key, values are stored as they are (and the worker says so at
 * start): Redis access then means secret access.
 */
export class SecretCipher {
  private readonly key?: Buffer;

  constructor(keyBase64: string) {
    if (keyBase64 !== '') this.key = Buffer.from(keyBase64, 'base64');
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  seal(plaintext: string, boundTo: string): string {
    if (!this.key) return `plain:${plaintext}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['gcm', iv, cipher.getAuthTag(), sealed]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
      .join(':');
  }

  /** The plaintext, or an error naming the problem (never the value). */
  open(stored: string, boundTo: string): string {
    if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
    if (!this.key)
      throw new Error('subscription secret is encrypted but SUBSCRIPTION_SECRETS_KEY is not set');
    const [scheme, iv, tag, sealed] = stored.split(':');
    if (scheme !== 'gcm' || !iv || !tag || sealed === undefined)
      throw new Error('subscription secret is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch (error) {
      throw new Error('subscription secret does not decrypt with SUBSCRIPTION_SECRETS_KEY', { cause: error });
    }
  }
}
