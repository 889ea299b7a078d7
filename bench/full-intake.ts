import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/config';
import { secretsOf } from '../src/main/bootstrap';
import { type WebTuning, startWeb } from '../src/main/web-process';
import { createLogger } from '../src/observability/logger';
import { type RunningServer } from './http-server';
import { deletePrefix } from './redis-prefix';

export interface FullIntake extends RunningServer {
  prefix: string;
  /** Keys deleted under the prefix by `close()` (0 before). */
  deletedKeys(): number;
}

export interface FullIntakeOptions {
  redisUrl: string;
  secret: string;
  /** Extra environment, applied last (attribution runs; see profile-intake.ts). */
  env?: Record<string, string>;
  /** Handed to startWeb (the metrics benchmark turns metrics off with it). */
  web?: WebTuning;
}

/**
 * The real web process (startWeb), in this process: every check on, info logging in JSON into a sink that
 * drops the lines (formatting is still paid, the terminal is not flooded), a rate limit too high to trigger,
 * its own QUEUE_PREFIX, no worker (the queues simply grow). `close()` deletes every key under the prefix.
 */
export async function startFullIntake(options: FullIntakeOptions): Promise<FullIntake> {
  const prefix = `bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    WEBHOOK_SECRETS: options.secret,
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000000',
    IP_ALLOWLIST: '',
    ...options.env,
  });
  const logger = createLogger({
    level: config.logLevel,
    json: true,
    secrets: secretsOf(config),
    stream: new Writable({ decodeStrings: false, write: (_chunk, _encoding, done) => done() }),
  });
  const web = await startWeb(config, logger, options.web);
  // Interrupted (Ctrl-C): stop serving (so nothing writes any more), then still leave no key behind.
  const onSignal = () => {
    void web
      .close(500)
      .catch(() => undefined)
      .then(() => deletePrefix(config.redis.url, prefix))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let deleted = 0;
  return {
    url: `http://127.0.0.1:${web.port}`,
    prefix,
    deletedKeys: () => deleted,
    async close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await web.close(2000);
      } finally {
        deleted = await deletePrefix(config.redis.url, prefix);
      }
    },
  };
}
