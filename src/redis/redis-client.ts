import { Redis, type RedisOptions } from 'ioredis';
import { backoffMs } from '../util/backoff';
import { coalesceWrites } from './coalesce-writes';

export interface RedisClientOptions {
  url: string;
  tlsRejectUnauthorized: boolean;
  /**
   * `fail-fast` (web intake): commands fail at once while disconnected, and time out after
   * `commandTimeoutMs`, so a request never hangs past TradingView's 3 s. `blocking` (BullMQ workers):
   * commands wait for the connection to come back, as BullMQ requires.
   */
  mode: 'fail-fast' | 'blocking';
  /** @defaultValue 1500 */
  commandTimeoutMs?: number;
  connectionName?: string;
}

/** Builds an ioredis client for `redis://` or `rediss://` URLs. Heroku Redis needs `tlsRejectUnauthorized: false`. */
export function createRedisClient(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, clientOptions(options));
  // Without a listener ioredis prints every connection error to stderr; the health check reports them.
  client.on('error', () => undefined);
  coalesceWrites(client);
  return client;
}

/**
 * The options of a connection BullMQ opens itself (a `QueueEvents` given an instance would duplicate it and
 * keep both open): the URL's parts plus what {@link createRedisClient} sets.
 */
export function connectionOptions(
  options: RedisClientOptions,
): Omit<RedisOptions, 'retryStrategy'> & { retryStrategy: (times: number) => number } {
  const url = new URL(options.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    ...clientOptions(options),
    retryStrategy,
  };
}

// Reconnect forever with a capped delay: Redis coming back must heal the process by itself.
const retryStrategy = (times: number) => backoffMs(times, 100, 2000);

function clientOptions(options: RedisClientOptions): RedisOptions {
  const url = new URL(options.url);
  const base: RedisOptions = {
    connectionName: options.connectionName,
    retryStrategy,
    connectTimeout: 2000,
    lazyConnect: false,
  };
  if (url.protocol === 'rediss:') base.tls = { rejectUnauthorized: options.tlsRejectUnauthorized };
  const modeOptions: RedisOptions =
    options.mode === 'fail-fast'
      ? {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: options.commandTimeoutMs ?? 1500,
          // No auto-pipelining: ioredis 5 can throw an uncaught TypeError from its auto-pipeline when the
          // connection drops with commands in flight (seen at shutdown), which would crash the process.
          enableAutoPipelining: false,
        }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true };
  return { ...base, ...modeOptions };
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export async function waitForReady(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}

/** Closes a client politely, falling back to a hard disconnect when Redis is gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.quit(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('quit timeout')), 1000);
      }),
    ]);
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
