/* eslint-disable @typescript-eslint/no-require-imports -- module exports must be swapped before src loads them */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

/**
 * Cost attribution for bench/profile-intake.ts: each ablation removes one step of the real web process by
 * patching it at runtime (nothing under src/ changes), so that the throughput gained is that step's cost.
 * Must run before anything under src/ is loaded (module exports are swapped in the require cache).
 */
export const ABLATIONS = {
  helmet: 'helmet() replaced by a pass-through middleware',
  'rate-limit': 'rateLimit() replaced by a pass-through middleware (no middleware, no Redis call)',
  'rate-limit-redis': 'refused requests are not counted in Redis (Admission.count answers locally)',
  'rate-limit-key': 'rate-limit key is req.ip as is (no ipKeyGenerator / ip-address parsing)',
  nonce: 'rate limit and nonce claim of accepted alerts answered without Redis (Admission.admit)',
  enqueue: 'BullMQ Queue.add skipped',
  history: 'signal record (one Lua script: HSET/HSETNX/EXPIRE/ZADD) skipped',
  'no-autopipeline': 'ioredis enableAutoPipelining off on the web client',
  logging: 'winston Logger.write is a no-op (no formatting, no transport)',
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
  // The rate limit and the nonce claim share one script (Admission): `rate-limit-redis` removes the count
  // of refused requests, `nonce` the whole round trip of accepted ones (rate limit included).
  if (on.has('rate-limit-redis') || on.has('nonce')) {
    const { Admission } = require('../src/intake/admission') as typeof import('../src/intake/admission');
    const rate = { hits: 1, resetMs: 60_000, limited: false };
    if (on.has('rate-limit-redis')) Admission.prototype.count = async () => rate;
    if (on.has('nonce')) {
      Admission.prototype.admit = async (_key, _id, mode, now) => [
        rate,
        mode === 'claim' ? { state: 'claimed', token: String(now) } : { state: 'free' },
      ];
    }
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
}
