import { type Redis } from 'ioredis';
import { defineLuaScript } from '../redis/lua-script';
import { type SecretCipher } from './secret-cipher';
import { ROTATION_WINDOW_MS, type SecretMaterial } from './secret-material';

/** Writes ARGV[3] to field ARGV[1] only if it still holds ARGV[2] ('' for absent): 1, else 0. */
const SWAP_SEALED = defineLuaScript<number>(
  'thSecretSwap',
  1,
  `local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`,
);

/** Attempts of a change that another one keeps overtaking (a handful of operators at most edit one). */
const MAX_ATTEMPTS = 10;

/**
 * The only place subscription secrets are kept: one Redis hash, subscription id → sealed
 * {@link SecretMaterial}. Nothing else (subscription records, deliveries, logs, answers) holds a secret.
 */
export class SecretStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly cipher: SecretCipher,
  ) {}

  async put(subscriptionId: string, material: SecretMaterial): Promise<void> {
    await this.redis.hset(
      this.key,
      subscriptionId,
      this.cipher.seal(JSON.stringify(material), subscriptionId),
    );
  }

  /** The material with the keys that still sign at `now` (an old key past its rotation window is left out). */
  async get(subscriptionId: string, now: number): Promise<SecretMaterial | undefined> {
    const material = await this.read(subscriptionId);
    if (!material) return undefined;
    return { ...material, keys: material.keys.filter((k) => k.expiresAt === null || k.expiresAt > now) };
  }

  /** Everything stored for the subscription, expired keys included. */
  private async read(subscriptionId: string): Promise<SecretMaterial | undefined> {
    const stored = await this.redis.hget(this.key, subscriptionId);
    return stored === null ? undefined : this.open(stored, subscriptionId);
  }

  private open(sealed: string, subscriptionId: string): SecretMaterial {
    return JSON.parse(this.cipher.open(sealed, subscriptionId)) as SecretMaterial;
  }

  /**
   * Read, change, write — written only if nothing else wrote the subscription's secrets in between (compared
   * by the sealed value, which a fresh IV makes unique per write), else done again on what is there now: two
   * changes at once (a rotation and a url change) both land. `change` answers `undefined` to write nothing.
   */
  private async update(
    subscriptionId: string,
    change: (material: SecretMaterial | undefined) => SecretMaterial | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.redis.hget(this.key, subscriptionId);
      const next = change(stored === null ? undefined : this.open(stored, subscriptionId));
      if (next === undefined) return;
      const sealed = this.cipher.seal(JSON.stringify(next), subscriptionId);
      if ((await SWAP_SEALED.run(this.redis, [this.key], [subscriptionId, stored ?? '', sealed])) === 1)
        return;
    }
    throw new Error(`the secrets of subscription ${subscriptionId} changed too often at once; try again`);
  }

  /**
   * Makes `secret` the signing key; the current one keeps signing for {@link ROTATION_WINDOW_MS} (both
   * sign meanwhile, so a receiver that has either verifies). Keys already past their window are dropped.
   */
  async rotate(subscriptionId: string, secret: string, now: number): Promise<void> {
    await this.update(subscriptionId, (stored) => {
      const material = stored ?? { keys: [] };
      const outgoing = material.keys
        .filter((k) => k.expiresAt === null || k.expiresAt > now)
        .map((k) => ({
          secret: k.secret,
          expiresAt: Math.min(k.expiresAt ?? Infinity, now + ROTATION_WINDOW_MS),
        }));
      return { ...material, keys: [{ secret, expiresAt: null }, ...outgoing] };
    });
  }

  /** Replaces the extra request headers (their values are secrets too). */
  async setHeaders(subscriptionId: string, headers: Record<string, string>, now: number): Promise<void> {
    await this.update(subscriptionId, (stored) => {
      const material = stored ?? { keys: [] };
      // Keys past their rotation window are dropped on the way, as a read at `now` would.
      const keys = material.keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
      return { ...material, keys, headers };
    });
  }

  /** Adds a url that is a credential, under its hash (the record switches to it afterwards). */
  async addUrl(subscriptionId: string, hash: string, url: string): Promise<void> {
    await this.update(subscriptionId, (material) =>
      material ? { ...material, urls: { ...material.urls, [hash]: url } } : undefined,
    );
  }

  /** Keeps only the url the record delivers to (`keep`; none when the url is not a credential any more). */
  async pruneUrls(subscriptionId: string, keep: string | undefined): Promise<void> {
    await this.update(subscriptionId, (material) => {
      if (!material?.urls) return undefined;
      const { urls, ...rest } = material;
      const kept = keep !== undefined && urls[keep] !== undefined ? { urls: { [keep]: urls[keep] } } : {};
      return { ...rest, ...kept };
    });
  }

  async remove(subscriptionId: string): Promise<void> {
    await this.redis.hdel(this.key, subscriptionId);
  }
}
