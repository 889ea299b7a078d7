/**
 * A real worker process for tests that kill one (`SIGKILL`, no goodbye). Configured by the environment like
 * `npm run worker`, plus short BullMQ lock timings so that its orphaned job is recovered within seconds.
 */
import { loadConfig } from '../../src/config/config';
import { startWorker } from '../../src/main/worker-process';
import { createLogger } from '../../src/observability/logger';
import { FAST_POLICY } from './fake-exchange';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'debug', json: true });
  const lockDurationMs = Number(process.env.TEST_LOCK_MS ?? 1000);
  await startWorker(config, logger, {
    sessions: { policy: FAST_POLICY },
    workers: { lockDurationMs, stalledIntervalMs: lockDurationMs / 2 },
  });
  logger.info('child worker ready');
}

void main();
