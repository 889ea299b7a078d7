import { randomBytes } from 'node:crypto';
import { type RequestListener, type ServerOptions } from 'node:http';
import { Writable } from 'node:stream';
import { type Redis } from 'ioredis';
import { type Config } from '../config/config';
import { EventLog } from '../events/event-log';
import { HistoryRetention } from '../history/retention';
import { SignalStore } from '../history/signal-store';
import { type FastPathOptions, webhookFastPath } from '../http/webhook-fast-path';
import { Admission, type AdmissionOptions } from '../intake/admission';
import { type IntakeAuthOptions } from '../intake/intake-auth';
import { IntakeService } from '../intake/intake-service';
import { NonceStore } from '../intake/nonce-store';
import { type Logger, createLogger } from '../observability/logger';
import { SignalQueue } from '../queue/signal-queue';
import { redisKeys } from '../redis/keys';
import { secretsOf } from './bootstrap';
import { IntakeWarmUp, type WarmUpCredentials } from './intake-warm-up';

/** The web server's options; the warm-up's shadow server takes the same. */
export const SERVER_OPTIONS: ServerOptions = {
  // Slightly above typical proxy idle timeouts (Heroku's router: 55 s) so the proxy closes first.
  keepAliveTimeout: 65_000,
  // A client must send its headers within 20 s and its whole request within 30 s (Heroku's router
  // gives up at 30 s too): a slow sender cannot hold a connection and its memory for longer.
  headersTimeout: 20_000,
  requestTimeout: 30_000,
};

export interface IntakeParts {
  config: Config;
  redis: Redis;
  queueRedis: Redis;
  /** Key prefix of everything the intake writes (the queue's included). */
  prefix: string;
  auth: IntakeAuthOptions;
  rateLimitPerMinute: number;
  ipAllowlist: string[];
  logger: Logger;
  onRateState: NonNullable<AdmissionOptions['onState']>;
  onAlert: NonNullable<FastPathOptions['onAlert']>;
  /** Serves every request that is not the webhook's or `/health`. */
  next: RequestListener;
}

/**
 * The webhook (steps 1-8 of docs/contract.md "Intake"): queue, history, nonces, admission, the intake use case
 * and the fast path in front of them. The real one, and the warm-up's on keys of its own, are built here alike,
 * so that the warm-up runs the very code (and object shapes) the real alerts run.
 */
export function assembleIntake(parts: IntakeParts) {
  const { config, redis, prefix, logger } = parts;
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
    logger,
  });
  const fast = webhookFastPath(
    {
      intake,
      admission,
      logger,
      onAlert: parts.onAlert,
      trustProxy: config.intake.trustProxy,
      ipAllowlist: parts.ipAllowlist,
      bodyLimitBytes: config.intake.bodyLimitBytes,
    },
    parts.next,
  );
  return { keys, queue, intake, fast };
}

/**
 * The warm-up (src/main/intake-warm-up.ts): the intake assembled again, on `<prefix>:warm-up` keys, with
 * fresh credentials of the modes the configuration accepts, no rate limit, no IP allowlist (it is sent from
 * loopback), no metrics, and a logger whose lines go nowhere (the same level and format as the real one, so
 * that the same code runs). `undefined` when the configuration accepts neither tokens nor signatures.
 */
export function shadowIntake(parts: {
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
    ipAllowlist: [],
    logger,
    onRateState: () => undefined,
    onAlert: () => undefined,
    next: (_req, res) => res.writeHead(404).end(),
  });
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
    listener: shadow.fast.listener,
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
