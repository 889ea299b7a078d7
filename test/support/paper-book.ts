import { type Redis } from 'ioredis';
import { type PaperBook } from '../../src/exchange/paper/paper-book';
import { redisKeys } from '../../src/redis/keys';

/** A paper account's book as the worker left it in Redis (`undefined` before its first trade). */
export async function readPaperBook(
  redis: Redis,
  prefix: string,
  accountId: string,
): Promise<PaperBook | undefined> {
  const stored = await redis.hget(redisKeys(prefix).paperBook(accountId), 'book');
  return stored ? (JSON.parse(stored) as PaperBook) : undefined;
}

/** The paper account's wallet as exact decimal strings (`{}` before its first trade). */
export async function paperWallet(
  redis: Redis,
  prefix: string,
  accountId: string,
): Promise<Record<string, string>> {
  return (await readPaperBook(redis, prefix, accountId))?.wallet ?? {};
}
