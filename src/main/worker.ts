import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { startWorker } from './worker-process';

/** `npm run worker`: the BullMQ workers and exchange sessions. */
async function main(): Promise<void> {
  const { config, logger } = bootstrap();
  const worker = await startWorker(config, logger);
  onShutdown(logger, () => worker.close());
}

main().catch(exitOnConfigError);
