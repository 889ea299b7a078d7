import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { loadDotEnv } from './load-env';
import { startWeb } from './web-process';
import { startWorker } from './worker-process';

/**
 * The token of the zero-config demo. Only ever set when neither WEBHOOK_TOKENS nor WEBHOOK_SECRETS is,
 * and only for `npm run dev`, which trades on the offline paper exchange.
 */
export const DEMO_TOKEN = 'demo-token';

/** `npm run dev`: web and worker in one process on the offline paper exchange — the demo. */
async function main(): Promise<void> {
  loadDotEnv();
  const env = { ...process.env };
  env.EXCHANGE ??= 'paper';
  const demoToken = !env.WEBHOOK_TOKENS && !env.WEBHOOK_SECRETS;
  if (demoToken) env.WEBHOOK_TOKENS = DEMO_TOKEN;
  const { config, logger } = bootstrap(env);
  if (config.accounts.some((a) => a.exchange !== 'paper')) {
    logger.warn('npm run dev is meant for the paper exchange; a real account is configured');
  }
  if (demoToken) logger.warn('using the demo token from the README (set WEBHOOK_TOKENS to choose your own)');
  const worker = await startWorker(config, logger);
  // A web that cannot start (its port is taken) must not leave the worker trading on its own.
  const web = await startWeb(config, logger).catch(async (error: unknown) => {
    await worker.close();
    throw error;
  });
  onShutdown(logger, async () => {
    await web.close(20_000);
    await worker.close();
  });
}

main().catch(exitOnConfigError);
