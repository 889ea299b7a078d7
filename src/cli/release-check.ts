import { loadConfig } from '../config/config';
import { ConfigError } from '../errors/config-error';
import { closeRedis, createRedisClient, waitForReady } from '../redis/redis-client';

export interface ReleaseCheckOptions {
  /** How long Redis may take to answer. @defaultValue 10000 */
  redisTimeoutMs?: number;
}

/** The eviction policy BullMQ needs: any other may silently drop queued alerts under memory pressure. */
const REQUIRED_POLICY = 'noeviction';

/**
 * Heroku's release phase (`Procfile`: `release:`), run once per deploy before new dynos start: a bad
 * configuration, an unreachable Redis or an evicting Redis fails the release, and the running version
 * keeps serving, instead of new dynos crashing in a loop. Writes nothing. Returns the exit code.
 */
export async function runReleaseCheck(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  options: ReleaseCheckOptions = {},
): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out(`release: ${error.message}`);
    return 1;
  }
  out(
    `release: configuration valid (${config.accounts.length} account(s): ${config.accounts.map((a) => a.id).join(', ')})`,
  );
  const redis = createRedisClient({
    ...config.redis,
    mode: 'fail-fast',
    connectionName: 'tradehook-release',
  });
  try {
    await waitForReady(redis, options.redisTimeoutMs ?? 10_000);
    // INFO, not CONFIG GET: managed Redis (Heroku) refuses CONFIG.
    const info = await redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    if (policy !== REQUIRED_POLICY) {
      out(
        `release: Redis maxmemory-policy is ${policy}; BullMQ needs ${REQUIRED_POLICY} or queued alerts may be evicted.` +
          ` On Heroku: heroku redis:maxmemory --policy ${REQUIRED_POLICY}`,
      );
      return 1;
    }
    out(`release: Redis answers (maxmemory-policy ${policy})`);
    return 0;
  } catch (error) {
    out(`release: Redis not reachable: ${(error as Error).message}`);
    return 1;
  } finally {
    // A client that never got ready (refused certificate, no answer) is only reconnecting: stop it at once.
    if (redis.status === 'ready') await closeRedis(redis);
    else redis.disconnect();
  }
}
