import { type RequestListener, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Management, ManagementTuning } from '../api/management';
import { type OperationsCore, createOperationsCore } from '../api/operations-core';
import { type Config } from '../config/config';
import { type Logger } from '../observability/logger';
import { closeRedis, createRedisClient, waitForReady } from '../redis/redis-client';
import { type IntakeWarmUp, type WarmUpResult } from './intake-warm-up';
import { listen } from './listen';
import { watchRedis } from './redis-watch';
import { SERVER_OPTIONS, assembleIntake, shadowIntake } from './web-intake';

export interface WebProcess {
  server: Server;
  port: number;
  /** What runs from the start: alert metrics, readiness, queue catalog, bootstrap-key installation. */
  core: OperationsCore;
  /** The operating surface (API registry, routes), loaded on the first request that needs it or by this call. */
  management(): Promise<Management>;
  /** The Express app behind the fast path (every route but the webhook and `/health`), loaded likewise. */
  app(): Promise<Express>;
  /**
   * Warms the webhook's code with alerts of its own on keys of its own (src/main/intake-warm-up.ts);
   * `undefined` when no credential is configured that an alert could carry.
   */
  warmUp(): Promise<WarmUpResult | undefined>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes Redis. */
  close(graceMs?: number): Promise<void>;
}

/** Knobs for tests; production uses the defaults. */
export interface WebTuning {
  management?: ManagementTuning;
  /** Alerts per warm-up. @defaultValue `WARM_UP_ALERTS` (2,000) */
  warmUpAlerts?: number;
}

/** Composition root of the web process: intake, health, operations. Loads no exchange code. */
export async function startWeb(config: Config, logger: Logger, tuning: WebTuning = {}): Promise<WebProcess> {
  const redis = createRedisClient({ ...config.redis, mode: 'fail-fast', connectionName: 'tradehook-web' });
  watchRedis(redis, 'tradehook-web', logger);
  // Give Redis a moment so the first alert is not refused; if it is down, start anyway and answer 503
  // until it is back (the client reconnects by itself).
  await waitForReady(redis, 3000).catch(() =>
    logger.warn('Redis not reachable yet; alerts get 503 until it is'),
  );
  // BullMQ gets a connection of its own: ioredis copies every Lua command defined on a connection into
  // each pipeline it builds, and BullMQ defines ~70; sharing would tax every nonce/record/rate-limit call.
  const queueRedis = createRedisClient({
    ...config.redis,
    mode: 'fail-fast',
    connectionName: 'tradehook-web-queue',
  });
  watchRedis(queueRedis, 'tradehook-web-queue', logger);
  const core = createOperationsCore({
    config,
    redis,
    queueConnection: queueRedis,
    logger,
    ...tuning.management,
  });
  const { queue, intake, fast } = assembleIntake({
    config,
    redis,
    queueRedis,
    prefix: config.prefix,
    auth: config.auth,
    rateLimitPerMinute: config.intake.rateLimitPerMinute,
    ipAllowlist: config.intake.ipAllowlist,
    logger,
    onRateState: (state, error) =>
      state === 'failing'
        ? logger.warn('webhook rate limit off while Redis is unavailable (requests pass uncounted)', {
            error: error?.message,
          })
        : logger.warn('webhook rate limit counting again'),
    onAlert: core.observeAlert,
    next: (req, res) => toExpress(req, res),
  });
  // The management API, the docs, the dashboard and Express itself (~20 MB of code and objects) load on the
  // first request that is not the webhook's or `/health`: a dyno that only takes alerts never holds them.
  let management: Promise<Management> | undefined;
  const loadManagement = () =>
    (management ??= import('../api/management').then(({ createManagement }) =>
      createManagement({
        config,
        core,
        redis,
        queueConnection: queueRedis,
        signalQueue: queue,
        intake,
        logger,
        ...tuning.management,
      }),
    ));
  let app: Promise<Express> | undefined;
  const loadApp = () =>
    (app ??= Promise.all([import('../http/app'), loadManagement()]).then(([{ createWebApp }, loaded]) =>
      createWebApp({
        fast,
        logger,
        readiness: core.readiness,
        operations: loaded.router,
        trustProxy: config.intake.trustProxy,
      }),
    ));
  const toExpress: RequestListener = (req, res) => {
    loadApp().then(
      (express) => express(req, res),
      (error: Error) => {
        logger.error('the operations app could not be loaded', { error: error.message, stack: error.stack });
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'internal_error', message: 'something went wrong' }));
      },
    );
  };
  // Requests other than `/health` taken so far: a warm-up stops when real work arrives.
  let taken = 0;
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    if (req.url !== '/health') taken += 1;
    fast.listener(req, res);
  });
  let warmUp: IntakeWarmUp | undefined;
  let closing = false;
  const warmer = () =>
    (warmUp ??= shadowIntake({
      config,
      redis,
      queueRedis,
      activity: () => taken,
      alerts: tuning.warmUpAlerts,
    }));
  const warmUpOnce = async (): Promise<WarmUpResult | undefined> => {
    const skipped = (ended: 'closed' | 'unavailable') => ({ sent: 0, accepted: 0, ended, ms: 0 });
    if (closing) return skipped('closed');
    // Redis down: nothing to warm against. The queue's connection may still be connecting after a start.
    const ready = await Promise.all([waitForReady(redis, 1000), waitForReady(queueRedis, 1000)]).then(
      () => true,
      () => false,
    );
    if (!ready) return skipped('unavailable');
    return warmer()?.run();
  };
  const closeOperations = async () => {
    const loaded = await management?.catch(() => undefined);
    await Promise.all([queue.close(), core.close(), loaded?.close(), warmUp?.close()]);
  };
  try {
    await listen(server, config.port);
  } catch (error) {
    await closeOperations();
    await Promise.all([closeRedis(redis), closeRedis(queueRedis)]);
    throw error;
  }
  // A request Node cannot even parse (bad request line, header, or Content-Length) never reaches Express:
  // answer it in the documented shape instead of Node's bare 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: 'invalid_request',
      message: tooLarge ? 'the request headers are too large' : 'the request is not valid HTTP/1.1',
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('web listening', { port });

  return {
    server,
    port,
    core,
    management: loadManagement,
    app: loadApp,
    warmUp: () =>
      warmUpOnce().then(
        (result) => {
          if (result) core.metrics.observeWarmUp(result.ended);
          return result;
        },
        (error: unknown) => {
          core.metrics.observeWarmUp('failed');
          throw error;
        },
      ),
    async close(graceMs = 20_000) {
      closing = true;
      void management?.then(
        (loaded) => loaded.closeStreams(),
        () => undefined,
      );
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await closeOperations();
      await Promise.all([closeRedis(redis), closeRedis(queueRedis)]);
    },
  };
}
