/**
 * `npm run keys -- …`: manage API keys from a shell (works before any key exists, and on Heroku with
 * `heroku run`). Reads only the variables it needs, so it runs before the webhook is configured.
 */
import { existsSync } from 'node:fs';
import { cleanEnv } from 'envalid';
import { AuditLog } from '../audit/audit-log';
import { envSpecs } from '../config/env-specs';
import { KeyStore } from '../keys/key-store';
import { USAGE, UsageError, runKeysCli } from '../keys/keys-cli';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient } from '../redis/redis-client';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
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
  let redis: ReturnType<typeof createRedisClient> | undefined;
  try {
    return await runKeysCli(argv, () => {
      redis = createRedisClient({
        url: env.REDIS_URL,
        tlsRejectUnauthorized: env.REDIS_TLS_REJECT_UNAUTHORIZED,
        mode: 'blocking',
        connectionName: 'tradehook-keys-cli',
      });
      const keys = redisKeys(env.QUEUE_PREFIX);
      return {
        store: new KeyStore(redis, keys),
        audit: new AuditLog(redis, keys.audit, { retentionMs: env.HISTORY_RETENTION_DAYS * 86_400_000 }),
        defaultRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
        out: (line) => process.stdout.write(`${line}\n`),
      };
    });
  } finally {
    if (redis) await closeRedis(redis);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    else process.stderr.write(`keys: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
