import { type Redis } from 'ioredis';
import { KeyStore } from '../../src/keys/key-store';
import { type Role } from '../../src/keys/roles';
import { redisKeys } from '../../src/redis/keys';

/** Issues a key straight into the store (what `POST /api/v1/keys` does), for tests that need callers. */
export async function issueKey(
  redis: Redis,
  prefix: string,
  role: Role,
  options: { name?: string; expiresAt?: number; rateLimitPerMinute?: number; now?: number } = {},
): Promise<{ id: string; key: string }> {
  const store = new KeyStore(redis, redisKeys(prefix));
  const { rawKey, record } = await store.issue(
    {
      name: options.name ?? `${role}-key`,
      role,
      expiresAt: options.expiresAt,
      rateLimitPerMinute: options.rateLimitPerMinute,
    },
    options.now ?? Date.now(),
  );
  return { id: record.id, key: rawKey };
}

/** Every key under a prefix with its full value, whatever its type: to prove a secret is nowhere in Redis. */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      else value = `<${type}>`;
      parts.push(`${key} ${JSON.stringify(value)}`);
    }
  } while (cursor !== '0');
  return parts.join('\n');
}
