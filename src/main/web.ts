import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { fullCollection, loopUtilization, startIdleCollector } from './idle-collector';
import { loadDotEnv } from './load-env';
import { startWeb } from './web-process';

/** `npm start`: the web process (intake, health). Never loads exchange code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const web = await startWeb(config, logger);
  const collect = fullCollection();
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  startIdleCollector({
    collect: () => {
      const before = process.memoryUsage();
      collect();
      const after = process.memoryUsage();
      logger.debug('memory given back after activity', {
        rssMb: [mb(before.rss), mb(after.rss)],
        heapUsedMb: [mb(before.heapUsed), mb(after.heapUsed)],
      });
    },
    utilization: loopUtilization(),
  });
  onShutdown(logger, () => web.close(20_000));
}

main().catch(exitOnConfigError);
