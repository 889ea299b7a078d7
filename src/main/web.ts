import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { fullCollection, loopUtilization, startIdleCollector } from './idle-collector';
import { loadDotEnv } from './load-env';
import { startWeb } from './web-process';

/** `npm start`: the web process (intake, health). Never loads exchange code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const web = await startWeb(config, logger);
  startIdleCollector({ collect: fullCollection(), utilization: loopUtilization() });
  onShutdown(logger, () => web.close(20_000));
}

main().catch(exitOnConfigError);
