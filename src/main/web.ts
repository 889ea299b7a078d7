import { type Logger } from '../observability/logger';
import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { type IdleCollector, fullCollection, loopUtilization, startIdleCollector } from './idle-collector';
import { loadDotEnv } from './load-env';
import { type WebProcess, startWeb } from './web-process';

const BOOT_WARM_UP_DELAY_MS = 1000;

/** `npm start`: the web process (intake, health). Never loads exchange code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const web = await startWeb(config, logger);
  const warmUp = config.webWarmUp ? () => warmIntake(web, logger) : undefined;
  let collector: IdleCollector | undefined;
  if (config.webIdleGc) collector = startMemoryGiveBack(logger, warmUp);
  else logger.info('idle collector off (WEB_IDLE_GC=false): memory is given back when V8 collects by itself');
  // At start, so that the first burst after a deploy or a restart does not pay V8's compiler; a second after
  // listening, so that what comes first to a fresh process (a platform's health check) is answered first.
  if (warmUp) {
    setTimeout(() => {
      const first = warmUp();
      collector?.aside(first);
    }, BOOT_WARM_UP_DELAY_MS).unref();
  }
  onShutdown(logger, () => web.close(20_000));
}

/** One warm-up of the webhook's code (src/main/intake-warm-up.ts), logged at debug; never throws. */
async function warmIntake(web: WebProcess, logger: Logger): Promise<void> {
  try {
    const result = await web.warmUp();
    if (result?.ended === 'unavailable' || (result?.ended === 'refused' && result.status === 503)) {
      // The real intake says so for real alerts; the next quiet spell after activity warms it.
      logger.debug('intake warm-up skipped or stopped: Redis unavailable', { alerts: result.sent });
    } else if (result?.ended === 'refused') {
      logger.warn('intake warm-up stopped: the warm-up intake refused its own alert', {
        status: result.status,
      });
    } else if (result) {
      logger.debug('intake warmed up', { alerts: result.sent, ms: result.ms, ended: result.ended });
    }
  } catch (error) {
    logger.warn('intake warm-up failed', { error: (error as Error).message });
  }
}

/**
 * After activity, once quiet, full collections give the burst's memory back (src/main/idle-collector.ts),
 * each logged at debug with RSS and heap before and after. A full collection also lets V8 drop optimised
 * code that depended on the burst's objects, so the next burst would optimise its path again: `warmUp`,
 * when given, runs after the last collection.
 */
function startMemoryGiveBack(logger: Logger, warmUp?: () => Promise<void>): IdleCollector {
  const collect = fullCollection();
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  return startIdleCollector({
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
    afterCollections: warmUp,
  });
}

main().catch(exitOnConfigError);
