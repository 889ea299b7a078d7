import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { loadDotEnv } from './load-env';
import { startWorker } from './worker-process';

/** `npm run worker`: the BullMQ workers and exchange sessions. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const worker = await startWorker(config, logger);
  onShutdown(logger, () => worker.close());
}

main().catch(exitOnConfigError);
