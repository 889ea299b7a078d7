import { randomUUID } from 'node:crypto';
import { Config } from '../config/config';
import { SessionRegistry } from '../exchange/session-registry';
import { ExecutionAccount, executeSignal } from '../execution/execute-signal';
import { SignalStore } from '../history/signal-store';
import { Logger } from '../observability/logger';
import { SignalWorkers } from '../queue/signal-workers';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient } from '../redis/redis-client';

export interface WorkerProcess {
  /** Stops taking jobs, finishes the ones in flight, closes sessions and Redis. */
  close(): Promise<void>;
}

const HEARTBEAT_MS = 5_000;

/** Composition root of the worker process: sessions, execution, queue consumers, heartbeat. */
export async function startWorker(config: Config, logger: Logger): Promise<WorkerProcess> {
  const redis = createRedisClient({ ...config.redis, mode: 'blocking', connectionName: 'tradehook-worker' });
  const keys = redisKeys(config.prefix);
  const history = new SignalStore(redis, keys, config.historyRetentionDays);
  const sessions = new SessionRegistry({
    accounts: config.accounts,
    redis,
    keys,
    paperBalances: config.paperBalances,
  });
  await sessions.warmUp();
  const accounts = new Map<string, ExecutionAccount>(
    config.accounts.map((a) => [
      a.id,
      { id: a.id, defaultType: a.defaultType, symbols: a.symbols, maxOrderCost: a.maxOrderCost },
    ]),
  );
  const workers = new SignalWorkers({
    connection: redis,
    prefix: config.prefix,
    logger,
    concurrency: config.workerConcurrency,
    process: (signal, shutdown) =>
      executeSignal(signal, {
        accounts,
        session: (id) => sessions.get(id),
        history,
        logger,
        maxAgeSeconds: config.signalMaxAgeSeconds,
        shutdown,
      }),
  });
  await workers.start();

  const workerId = randomUUID();
  const beat = () =>
    redis.hset(keys.workerHeartbeat, workerId, String(Date.now())).catch((error: Error) => {
      logger.warn('worker heartbeat failed', { error: error.message });
    });
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  logger.info('worker started', { accounts: config.accounts.map((a) => `${a.id}:${a.exchange}`).join(',') });

  return {
    async close() {
      clearInterval(heartbeat);
      await workers.close(20_000);
      await redis.hdel(keys.workerHeartbeat, workerId).catch(() => undefined);
      await sessions.close();
      await closeRedis(redis);
    },
  };
}
