import { bootstrap, exitOnConfigError, onShutdown } from './bootstrap';
import { loadDotEnv } from './load-env';
import { startWeb } from './web-process';

/** `npm start`: the web process (intake, health). Never loads exchange code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config, logger } = bootstrap();
  const web = await startWeb(config, logger);
  onShutdown(logger, () => web.close(20_000));
}

main().catch(exitOnConfigError);
