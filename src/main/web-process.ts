import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Management, type ManagementTuning, createManagement } from '../api/management';
import { type Config } from '../config/config';
import { SignalStore } from '../history/signal-store';
import { createWebApp } from '../http/app';
import { IntakeService } from '../intake/intake-service';
import { NonceStore } from '../intake/nonce-store';
import { type Logger } from '../observability/logger';
import { SignalQueue } from '../queue/signal-queue';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient, waitForReady } from '../redis/redis-client';

export interface WebProcess {
  server: Server;
  port: number;
  /** The operating surface: API registry, queue catalog, bootstrap-key installation. */
  management: Management;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes Redis. */
  close(graceMs?: number): Promise<void>;
}

/** Knobs for tests; production uses the defaults. */
export interface WebTuning {
  management?: ManagementTuning;
}

/** Composition root of the web process: intake, health, operations. Loads no exchange code. */
export async function startWeb(config: Config, logger: Logger, tuning: WebTuning = {}): Promise<WebProcess> {
  const redis = createRedisClient({ ...config.redis, mode: 'fail-fast', connectionName: 'tradehook-web' });
  // Give Redis a moment so the first alert is not refused; if it is down, start anyway and answer 503
  // until it is back (the client reconnects by itself).
  await waitForReady(redis, 3000).catch(() =>
    logger.warn('Redis not reachable yet; alerts get 503 until it is'),
  );
  const keys = redisKeys(config.prefix);
  // BullMQ gets a connection of its own: ioredis copies every Lua command defined on a connection into
  // each pipeline it builds, and BullMQ defines ~70; sharing would tax every nonce/record/rate-limit call.
  const queueRedis = createRedisClient({
    ...config.redis,
    mode: 'fail-fast',
    connectionName: 'tradehook-web-queue',
  });
  const queue = new SignalQueue(queueRedis, config.prefix);
  const history = new SignalStore(redis, keys, config.historyRetentionDays);
  const toleranceMs = config.auth.toleranceSeconds * 1000;
  const nonces = new NonceStore(redis, keys.nonce, { ttlMs: 2 * toleranceMs + 60_000 });
  const intake = new IntakeService({
    auth: config.auth,
    accounts: config.accounts.map((a) => a.id),
    nonces,
    queue,
    history,
    logger,
  });

  const management = createManagement({
    config,
    redis,
    queueConnection: queueRedis,
    logger,
    ...tuning.management,
  });

  const app = createWebApp({
    intake,
    redis,
    logger,
    readiness: management.readiness,
    onAlert: (observation) => management.observeAlert(observation),
    operations: management.router,
    trustProxy: config.intake.trustProxy,
    ipAllowlist: config.intake.ipAllowlist,
    rateLimitPerMinute: config.intake.rateLimitPerMinute,
    bodyLimitBytes: config.intake.bodyLimitBytes,
    rateLimitPrefix: keys.rateLimit,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  // Slightly above typical proxy idle timeouts (Heroku's router: 55 s) so the proxy closes first.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  logger.info('web listening', { port });

  return {
    server,
    port,
    management,
    async close(graceMs = 20_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await Promise.all([queue.close(), management.close()]);
      await Promise.all([closeRedis(redis), closeRedis(queueRedis)]);
    },
  };
}
