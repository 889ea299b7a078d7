import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config';
import { secretsOf } from '../../src/main/bootstrap';
import { type WebProcess, type WebTuning, startWeb } from '../../src/main/web-process';
import { type WorkerProcess, type WorkerTuning, startWorker } from '../../src/main/worker-process';
import { captureLogs } from './log-capture';
import { REDIS_URL, dropPrefix, uniquePrefix } from './test-redis';

export interface TestApp {
  url: string;
  prefix: string;
  web: WebProcess;
  worker?: WorkerProcess;
  /** A plain client on the same Redis, for assertions. */
  redis: Redis;
  logs: ReturnType<typeof captureLogs>;
  close(): Promise<void>;
}

/**
 * Starts the real web process (and optionally the worker) on port 0 with an isolated QUEUE_PREFIX and a
 * captured JSON logger. `env` overrides the defaults below.
 */
export async function startTestApp(
  name: string,
  env: Record<string, string> = {},
  options: { worker?: boolean; tuning?: WorkerTuning; prefix?: string; web?: WebTuning } = {},
): Promise<TestApp> {
  const prefix = options.prefix ?? uniquePrefix(name);
  const config = loadConfig({
    REDIS_URL,
    WEBHOOK_TOKENS: 'test-token-1,test-token-2',
    WEBHOOK_SECRETS: 'whsec_dGVzdC1zZWNyZXQtMTIzNDU2Nzg5MA==,plain-secret-rotated',
    NODE_ENV: 'test',
    ...env,
    PORT: '0',
    QUEUE_PREFIX: prefix,
  });
  const logs = captureLogs({ secrets: secretsOf(config) });
  const worker = options.worker ? await startWorker(config, logs.logger, options.tuning) : undefined;
  const web = await startWeb(config, logs.logger, options.web);
  // The web loads its Express side on the first request that needs it; tests time their requests, so it is
  // loaded here (test/integration/process/lazy-operations.test.ts covers the loading itself).
  await web.app();
  const redis = new Redis(config.redis.url);
  return {
    url: `http://127.0.0.1:${web.port}`,
    prefix,
    web,
    worker,
    redis,
    logs,
    async close() {
      await web.close(1000);
      await worker?.close();
      await dropPrefix(prefix);
      redis.disconnect();
    },
  };
}

/** Counts BullMQ jobs (any state) across the signal partitions: one hash per job. */
export async function countSignalJobs(redis: Redis, prefix: string): Promise<number> {
  const keys = await redis.keys(`${prefix}:signals-*:sig_*`);
  return keys.filter((k) => /:signals-\d+:sig_[0-9a-f]{24}$/.test(k)).length;
}

/** Waits until `check` returns a value (not undefined), polling every 25 ms. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The current time as TradingView's {{timenow}} renders it. */
export function timenow(offsetSeconds = 0): string {
  return new Date(Math.floor(Date.now() / 1000 + offsetSeconds) * 1000).toISOString().replace('.000Z', 'Z');
}
