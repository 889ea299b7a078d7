import { type Logger } from '../observability/logger';
import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { fullCollection, loopUtilization, startIdleCollector } from './idle-collector';
import { loadDotEnv } from './load-env';
import { startWeb } from './web-process';

/** `npm start`: the web process (intake, health). Never loads exchange code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const web = await startWeb(config, logger);
  if (config.webIdleGc) startMemoryGiveBack(logger);
  else logger.info('idle collector off (WEB_IDLE_GC=false): memory is given back when V8 collects by itself');
  onShutdown(logger, () => web.close(20_000));
}

/**
 * After activity, once quiet, full collections give the burst's memory back (src/main/idle-collector.ts),
 * each logged at debug with RSS and heap before and after. A full collection also lets V8 drop optimised
 * code that depended on the burst's objects, so the next burst optimises its path again.
 */
function startMemoryGiveBack(logger: Logger): void {
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
}

main().catch(exitOnConfigError);
