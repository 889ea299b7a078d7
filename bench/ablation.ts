/* eslint-disable @typescript-eslint/no-require-imports -- module exports must be swapped before src loads them */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../src/redis/keys';
import type { SignalEnvelope } from '../src/signals/signal';

/**
 * Cost attribution for bench/profile-intake.ts: each ablation removes one step of the real web process by
 * patching it at runtime (nothing under src/ changes), so that the throughput gained is that step's cost.
 * Must run before anything under src/ is loaded (module exports are swapped in the require cache).
 */
export const ABLATIONS = {
  helmet: 'helmet() replaced by a pass-through middleware',
  'rate-limit': 'rateLimit() replaced by a pass-through middleware (no middleware, no Redis call)',
  'rate-limit-redis': 'rate-limit store answers locally (middleware and key generator kept, no Redis call)',
  'rate-limit-key': 'rate-limit key is req.ip as is (no ipKeyGenerator / ip-address parsing)',
  nonce: 'nonce claim always succeeds without Redis',
  enqueue: 'BullMQ Queue.add skipped',
  history: 'signal record (MULTI HSET/HSETNX/EXPIRE/ZADD) skipped',
  'history-lua': 'signal record written by one Lua script (EVALSHA) instead of MULTI/EXEC (same writes)',
  'bullmq-own-connection':
    'BullMQ queues get their own Redis client (a duplicate), so its ~65 Lua commands are not on the client shared with nonce/rate-limit/history pipelines',
  'no-autopipeline': 'ioredis enableAutoPipelining off on the web client',
  logging: 'winston Logger.write is a no-op (no formatting, no transport)',
  etag: "app.set('etag', false): no ETag hash of each JSON answer",
} as const;

export type Ablation = keyof typeof ABLATIONS;

export function parseAblations(raw: string | undefined): Ablation[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in ABLATIONS))
      throw new Error(`unknown ablation "${name}" (known: ${Object.keys(ABLATIONS)})`);
  }
  return names as Ablation[];
}

const passThrough: RequestHandler = (_req, _res, next) => next();

function replaceModule(id: string, exports: unknown): void {
  require(id);
  const cached = require.cache[require.resolve(id)];
  if (!cached) throw new Error(`${id} is not in the require cache`);
  cached.exports = exports;
}

export function applyAblations(ablations: Ablation[]): void {
  const on = new Set(ablations);
  if (on.has('helmet')) {
    const fake = Object.assign(() => passThrough, {});
    replaceModule('helmet', Object.assign(fake, { default: fake }));
  }
  if (on.has('rate-limit') || on.has('rate-limit-key')) {
    const erl = require('express-rate-limit') as typeof import('express-rate-limit');
    const original = erl.rateLimit;
    const patched = on.has('rate-limit')
      ? () => passThrough
      : (options: Parameters<typeof original>[0]) =>
          original({ ...options, keyGenerator: (req) => req.ip ?? '', validate: false });
    replaceModule('express-rate-limit', { ...erl, rateLimit: patched, default: patched });
  }
  if (on.has('rate-limit-redis')) {
    const { RedisRateLimitStore } =
      require('../src/http/redis-rate-limit-store') as typeof import('../src/http/redis-rate-limit-store');
    RedisRateLimitStore.prototype.increment = async () => ({
      totalHits: 1,
      resetTime: new Date(Date.now() + 60_000),
    });
  }
  if (on.has('nonce')) {
    const { NonceStore } = require('../src/intake/nonce-store') as typeof import('../src/intake/nonce-store');
    NonceStore.prototype.claim = async (_id, now) => String(now);
  }
  if (on.has('enqueue')) {
    const { SignalQueue } =
      require('../src/queue/signal-queue') as typeof import('../src/queue/signal-queue');
    SignalQueue.prototype.enqueue = async () => undefined;
  }
  if (on.has('history')) {
    const { SignalStore } =
      require('../src/history/signal-store') as typeof import('../src/history/signal-store');
    SignalStore.prototype.recordQueued = async () => undefined;
  }
  if (on.has('history-lua')) patchHistoryLua();
  if (on.has('bullmq-own-connection')) patchBullmqConnection();
  if (on.has('no-autopipeline')) {
    const mod = require('ioredis/built/Redis') as { default: typeof Redis };
    const Original = mod.default;
    mod.default = class extends Original {
      constructor(...args: ConstructorParameters<typeof Redis>) {
        super(...args);
        this.options.enableAutoPipelining = false;
      }
    } as typeof Redis;
  }
  if (on.has('logging')) {
    const winston = require('winston') as typeof import('winston');
    winston.Logger.prototype.write = () => true;
  }
  if (on.has('etag')) {
    const express = require('express') as {
      application: { defaultConfiguration(): void; set(k: string, v: unknown): void };
    };
    const app = express.application;
    const original = app.defaultConfiguration;
    app.defaultConfiguration = function (this: typeof app) {
      original.call(this);
      this.set('etag', false);
    };
  }
}

const RECORD_QUEUED = `
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HSETNX', KEYS[1], 'status', 'queued')
redis.call('HSETNX', KEYS[1], 'attempts', '0')
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`;

/** SignalStore.recordQueued as one EVALSHA (auto-pipelined like any command) instead of a MULTI pipeline. */
function patchHistoryLua(): void {
  const { SignalStore } =
    require('../src/history/signal-store') as typeof import('../src/history/signal-store');
  interface StoreInternals {
    redis: Redis & { thRecordQueued?: (...args: Array<string | number>) => Promise<number> };
    keys: RedisKeys;
    retentionSeconds: number;
    baseFields(signal: SignalEnvelope, queuedAt?: number): Record<string, string>;
  }
  // The command must exist before the client's first auto-pipeline is built (a pipeline copies the commands
  // defined at its construction), so it is defined along with the nonce scripts, at startWeb.
  const RedisClass = (require('ioredis/built/Redis') as { default: typeof Redis }).default;
  const define = RedisClass.prototype.defineCommand;
  RedisClass.prototype.defineCommand = function (this: Redis, name, definition) {
    define.call(this, name, definition);
    if (name === 'thClaimNonce') define.call(this, 'thRecordQueued', { numberOfKeys: 2, lua: RECORD_QUEUED });
  };
  SignalStore.prototype.recordQueued = async function (
    this: unknown,
    signal: SignalEnvelope,
    queuedAt: number,
  ) {
    const self = this as StoreInternals;
    const fields = Object.entries(self.baseFields(signal, queuedAt)).flat();
    await self.redis.thRecordQueued!(
      self.keys.signal(signal.id),
      self.keys.signalIndex,
      self.retentionSeconds,
      signal.receivedAt,
      signal.id,
      ...fields,
    );
  };
}

/** Every BullMQ Queue built on a client uses one duplicate of that client instead (closed with the last queue). */
function patchBullmqConnection(): void {
  const mod = require('bullmq/dist/cjs/classes/queue') as typeof import('bullmq');
  const Original = mod.Queue;
  const shared = new Map<Redis, { client: Redis; users: number }>();
  type QueueOptions = { connection: Redis } & Record<string, unknown>;
  const Base = Original as unknown as new (name: string, opts: QueueOptions) => { close(): Promise<void> };
  class OwnConnectionQueue extends Base {
    private readonly sharedWith: Redis;
    constructor(name: string, opts: QueueOptions) {
      let entry = shared.get(opts.connection);
      if (!entry) {
        entry = { client: opts.connection.duplicate(), users: 0 };
        entry.client.on('error', () => undefined);
        shared.set(opts.connection, entry);
      }
      entry.users += 1;
      super(name, { ...opts, connection: entry.client });
      this.sharedWith = opts.connection;
    }
    override async close(): Promise<void> {
      await super.close();
      const entry = shared.get(this.sharedWith);
      if (entry && --entry.users === 0) {
        shared.delete(this.sharedWith);
        await entry.client.quit().catch(() => entry.client.disconnect());
      }
    }
  }
  mod.Queue = OwnConnectionQueue as unknown as typeof Original;
}
