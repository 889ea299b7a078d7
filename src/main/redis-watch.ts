import { type Redis } from 'ioredis';
import { type Logger } from '../observability/logger';

/**
 * Logs one warning when a Redis connection is lost (or cannot be made at start) and one when it is back,
 * instead of an error per reconnection attempt. `reconnecting` is emitted only for a connection that will
 * retry, so a deliberate `quit()` at shutdown logs nothing.
 */
export function watchRedis(client: Redis, connection: string, logger: Logger): void {
  let lost = false;
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  client.on('reconnecting', () => {
    if (lost) return;
    lost = true;
    logger.warn('Redis connection lost; retrying until it is back', { connection, error: lastError });
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.warn('Redis connection back', { connection });
  });
}
