import { type Config, loadConfig } from '../config/config';
import { ConfigError } from '../errors/config-error';
import { StartupError } from '../errors/startup-error';
import type * as SentryModule from '@sentry/node';
import { type ErrorTrackerClient } from '../observability/error-tracker';
import { type Logger, createLogger } from '../observability/logger';

/** Secrets the logger scrubs from every line, whatever path they might take into a message. */
export function secretsOf(config: Config): string[] {
  const values = [
    ...config.auth.secrets,
    ...config.auth.tokens,
    config.adminApiKey,
    config.metricsToken,
    config.notify.secretsKey,
  ];
  for (const a of config.accounts) values.push(a.apiKey ?? '', a.secret ?? '', a.password ?? '');
  return values.filter((v) => v.length > 0);
}

/** Exits 1 with the problems of a configuration that cannot run, or the one line of a startup failure; rethrows anything else. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`tradehook cannot start. ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`tradehook cannot start: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

/** Loads the config or exits 1 listing every problem; builds the logger. */
export function bootstrap(env: NodeJS.ProcessEnv = process.env): { config: Config; logger: Logger } {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    exitOnConfigError(error);
  }
  const logger = createLogger({
    level: config.logLevel,
    json: config.nodeEnv === 'production',
    secrets: secretsOf(config),
    tracker: config.sentry.dsn ? sentry() : undefined,
  });
  return { config, logger };
}

/**
 * Runs `close` on SIGTERM/SIGINT (Heroku sends SIGTERM and kills after 30 s), then exits 0; exits 1 if
 * closing takes longer than `deadlineMs`.
 */
export function onShutdown(logger: Logger, close: () => Promise<void>, deadlineMs = 25_000): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting', { deadlineMs });
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: Error) => {
        logger.error('shutdown failed', { error: error.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Sentry, initialised by `instrument` (preloaded by `npm start` and the Procfile); loaded only when
 * `SENTRY_DSN` is set. Without the preload (`npm run dev`) reports are dropped by Sentry itself.
 */
function sentry(): ErrorTrackerClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@sentry/node') as typeof SentryModule;
}
