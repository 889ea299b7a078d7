/**
 * `npm run keys -- …`: manage API keys from a shell (works before any key exists, and on Heroku with
 * `heroku run`). Reads only the variables it needs, so it runs before the webhook is configured.
 */
import { cleanEnv } from 'envalid';
import { type Redis } from 'ioredis';
import { AuditLog } from '../audit/audit-log';
import { envSpecs } from '../config/env-specs';
import { KeyStore } from '../keys/key-store';
import { USAGE, UsageError, runKeysCli } from '../keys/keys-cli';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient } from '../redis/redis-client';
import { loadDotEnv } from './load-env';

async function main(): Promise<number> {
  loadDotEnv();
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const env = cleanEnv(process.env, {
    REDIS_URL: envSpecs.REDIS_URL,
    REDIS_TLS_REJECT_UNAUTHORIZED: envSpecs.REDIS_TLS_REJECT_UNAUTHORIZED,
    QUEUE_PREFIX: envSpecs.QUEUE_PREFIX,
    API_RATE_LIMIT_PER_MINUTE: envSpecs.API_RATE_LIMIT_PER_MINUTE,
    HISTORY_RETENTION_DAYS: envSpecs.HISTORY_RETENTION_DAYS,
  });
  let redis: Redis | undefined;
  let failed: (error: Error) => void = () => undefined;
  const connectionFailed = new Promise<never>((_, reject) => (failed = reject));
  try {
    const run = runKeysCli(argv, () => {
      redis = createRedisClient({
        url: env.REDIS_URL,
        tlsRejectUnauthorized: env.REDIS_TLS_REJECT_UNAUTHORIZED,
        mode: 'blocking',
        connectionName: 'tradehook-keys-cli',
      });
      onConnectionFailure(redis, failed);
      const keys = redisKeys(env.QUEUE_PREFIX);
      return {
        store: new KeyStore(redis, keys),
        audit: new AuditLog(redis, keys.audit, { retentionMs: env.HISTORY_RETENTION_DAYS * 86_400_000 }),
        defaultRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
        out: (line) => process.stdout.write(`${line}\n`),
      };
    });
    return await Promise.race([run, connectionFailed]);
  } finally {
    // QUIT would wait in the offline queue of a connection that is not there.
    if (redis?.status === 'ready') await closeRedis(redis);
    else redis?.disconnect();
  }
}

/**
 * A blocking client would wait for Redis forever: a CLI gives up at the first failure of its connection
 * instead, with a line that says whether anything may have been done.
 */
function onConnectionFailure(redis: Redis, fail: (error: Error) => void): void {
  let ready = false;
  let lastError = 'connection closed';
  redis.once('ready', () => (ready = true));
  redis.on('error', (error: Error) => (lastError = error.message));
  redis.once('close', () =>
    fail(
      new Error(
        ready
          ? `lost the connection to Redis (${lastError}) before the command finished: check with \`npm run keys -- list\``
          : `cannot reach Redis (${lastError}): is it running, and is REDIS_URL right? Nothing was changed.`,
      ),
    ),
  );
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    else process.stderr.write(`keys: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
