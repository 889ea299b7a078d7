import { randomBytes } from 'node:crypto';
import { type RequestListener, type Server, type ServerOptions, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { type Redis } from 'ioredis';
import type { Management, ManagementTuning } from '../api/management';
import { type OperationsCore, createOperationsCore } from '../api/operations-core';
import { type Config } from '../config/config';
import { EventLog } from '../events/event-log';
import { HistoryRetention } from '../history/retention';
import { SignalStore } from '../history/signal-store';
import { webhookFastPath } from '../http/webhook-fast-path';
import { Admission, type AdmissionOptions } from '../intake/admission';
import { type IntakeAuthOptions } from '../intake/intake-auth';
import { IntakeService } from '../intake/intake-service';
import { NonceStore } from '../intake/nonce-store';
import { type Logger, createLogger } from '../observability/logger';
import { SignalQueue } from '../queue/signal-queue';
import { redisKeys } from '../redis/keys';
import { closeRedis, createRedisClient, waitForReady } from '../redis/redis-client';
import { secretsOf } from './bootstrap';
import { IntakeWarmUp, type WarmUpCredentials, type WarmUpResult } from './intake-warm-up';
import { listen } from './listen';
import { watchRedis } from './redis-watch';

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
  const { queue, intake, admission } = assembleIntake({
    config,
    redis,
    queueRedis,
    prefix: config.prefix,
    auth: config.auth,
    rateLimitPerMinute: config.intake.rateLimitPerMinute,
    logger,
    onRateState: (state, error) =>
      state === 'failing'
        ? logger.warn('webhook rate limit off while Redis is unavailable (requests pass uncounted)', {
            error: error?.message,
          })
        : logger.warn('webhook rate limit counting again'),
  });

  const core = createOperationsCore({
    config,
    redis,
    queueConnection: queueRedis,
    logger,
    ...tuning.management,
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
  const fast = webhookFastPath(
    {
      intake,
      admission,
      logger,
      onAlert: core.observeAlert,
      trustProxy: config.intake.trustProxy,
      ipAllowlist: config.intake.ipAllowlist,
      bodyLimitBytes: config.intake.bodyLimitBytes,
    },
    toExpress,
  );
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

/** The web server's options; the warm-up's shadow server takes the same. */
const SERVER_OPTIONS: ServerOptions = {
  // Slightly above typical proxy idle timeouts (Heroku's router: 55 s) so the proxy closes first.
  keepAliveTimeout: 65_000,
  // A client must send its headers within 20 s and its whole request within 30 s (Heroku's router
  // gives up at 30 s too): a slow sender cannot hold a connection and its memory for longer.
  headersTimeout: 20_000,
  requestTimeout: 30_000,
};

interface IntakeParts {
  config: Config;
  redis: Redis;
  queueRedis: Redis;
  /** Key prefix of everything the intake writes (the queue's included). */
  prefix: string;
  auth: IntakeAuthOptions;
  rateLimitPerMinute: number;
  logger: Logger;
  onRateState: NonNullable<AdmissionOptions['onState']>;
}

/** The webhook's intake (steps 2-8): the real one, and the warm-up's on keys of its own. */
function assembleIntake(parts: IntakeParts) {
  const { config, redis, prefix } = parts;
  const keys = redisKeys(prefix);
  const queue = new SignalQueue(parts.queueRedis, prefix);
  const history = new SignalStore(redis, keys, config.historyRetentionDays);
  const toleranceMs = parts.auth.toleranceSeconds * 1000;
  const nonceTtlMs = 2 * toleranceMs + 60_000;
  const nonces = new NonceStore(redis, keys.nonce, { ttlMs: nonceTtlMs });
  const admission = new Admission(redis, {
    rateKey: (client) => keys.rateLimit + client,
    nonceKey: keys.nonce,
    limit: parts.rateLimitPerMinute,
    windowMs: 60_000,
    nonceTtlMs,
    onState: parts.onRateState,
  });
  const intake = new IntakeService({
    auth: parts.auth,
    accounts: config.accounts.map((a) => a.id),
    nonces,
    admission,
    queue,
    history,
    logger: parts.logger,
  });
  return { keys, queue, history, admission, intake };
}

/**
 * The warm-up (src/main/intake-warm-up.ts): the intake assembled again, on `<prefix>:warm-up` keys, with
 * fresh credentials of the modes the configuration accepts, no rate limit, no IP allowlist (it is sent from
 * loopback), no metrics, and a logger whose lines go nowhere (the same level and format as the real one, so
 * that the same code runs). `undefined` when the configuration accepts neither tokens nor signatures.
 */
function shadowIntake(parts: {
  config: Config;
  redis: Redis;
  queueRedis: Redis;
  activity: () => number;
  alerts?: number;
}): IntakeWarmUp | undefined {
  const { config, redis } = parts;
  const credentials: WarmUpCredentials = {
    ...(config.auth.allowTokenAuth && config.auth.tokens.length > 0
      ? { token: randomBytes(24).toString('base64url') }
      : {}),
    ...(config.auth.secrets.length > 0 ? { secret: `whsec_${randomBytes(32).toString('base64')}` } : {}),
  };
  if (credentials.token === undefined && credentials.secret === undefined) return undefined;
  const logger = createLogger({
    level: config.logLevel,
    json: config.nodeEnv === 'production',
    secrets: secretsOf(config),
    stream: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const shadow = assembleIntake({
    config,
    redis,
    queueRedis: parts.queueRedis,
    prefix: `${config.prefix}:warm-up`,
    auth: {
      ...config.auth,
      tokens: credentials.token === undefined ? [] : [credentials.token],
      secrets: credentials.secret === undefined ? [] : [credentials.secret],
    },
    rateLimitPerMinute: Number.MAX_SAFE_INTEGER,
    logger,
    onRateState: () => undefined,
  });
  const fast = webhookFastPath(
    {
      intake: shadow.intake,
      admission: shadow.admission,
      logger,
      onAlert: () => undefined,
      trustProxy: config.intake.trustProxy,
      ipAllowlist: [],
      bodyLimitBytes: config.intake.bodyLimitBytes,
    },
    (_req, res) => res.writeHead(404).end(),
  );
  const { keys } = shadow;
  const retention = new HistoryRetention({
    redis,
    keys,
    retentionDays: 0,
    events: new EventLog({ redis, key: keys.events }),
    logger,
    // Every record is older than the end of time: one sweep removes them all, with their index entries.
    now: () => Number.MAX_SAFE_INTEGER,
    batchSize: 500,
  });
  return new IntakeWarmUp({
    listener: fast.listener,
    serverOptions: SERVER_OPTIONS,
    credentials,
    activity: parts.activity,
    alerts: parts.alerts,
    cleanup: async () => {
      const ids = await redis.zrange(keys.signalIndex, 0, -1);
      for (let i = 0; i < ids.length; i += 500) await redis.unlink(...ids.slice(i, i + 500).map(keys.nonce));
      await retention.sweep();
      await redis.unlink(keys.events, `${keys.rateLimit}127.0.0.1`);
      await shadow.queue.obliterate();
    },
    release: () => shadow.queue.close(),
  });
}
