import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { lowerCpuPriority } from './cpu-priority';
import { loadDotEnv } from './load-env';
import { startWorker } from './worker-process';

/** `npm run worker`: the BullMQ workers and exchange sessions. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  // Alerts have a deadline (TradingView gives up after 3 s), orders do not: where web and worker share CPUs,
  // the web's acknowledgements go first and the worker executes with what is left (docs/configuration.md).
  const threads = lowerCpuPriority(config.workerNice);
  if (threads > 0) logger.info('worker CPU priority lowered', { nice: config.workerNice, threads });
  const worker = await startWorker(config, logger);
  onShutdown(logger, () => worker.close());
}

main().catch(exitOnConfigError);
