import { type Redis } from 'ioredis';
import { signalIdOf } from '../../src/intake/intake-body';
import { type Role } from '../../src/keys/roles';
import { seedDelivery, seedSubscription } from './notify/seed';
import { seedSignal } from './seed-signal';

/** What an example may set up before its request: keys to act on. */
export interface ExampleContext {
  issueKey(role: Role): Promise<{ id: string; key: string }>;
  /** The app's Redis and key prefix, for examples that need a record to act on (a subscription). */
  redis: Redis;
  prefix: string;
}

export interface ExampleRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * A valid request for every management API route, by operationId. The role table
 * (test/integration/api/role-table.test.ts) sends each one as every kind of caller; a route registered
 * without an example here fails that test, so a new route cannot skip the table.
 */
export const ROUTE_EXAMPLES: Record<string, (ctx: ExampleContext) => Promise<ExampleRequest>> = {
  listKeys: async () => ({ query: { limit: '2' } }),
  createKey: async () => ({ body: { name: 'table', role: 'viewer', rateLimitPerMinute: 100 } }),
  getKey: async (ctx) => ({ params: { id: (await ctx.issueKey('viewer')).id } }),
  revokeKey: async (ctx) => ({ params: { id: (await ctx.issueKey('viewer')).id } }),
  createSession: async (ctx) => ({ body: { apiKey: (await ctx.issueKey('viewer')).key } }),
  getSession: async () => ({}),
  deleteSession: async () => ({}),
  listAudit: async () => ({ query: { limit: '5' } }),
  getSignal: async (ctx) => ({ params: { id: await seedSignal(ctx.redis, ctx.prefix, 'filled') } }),
  retrySignal: async (ctx) => ({ params: { id: await seedSignal(ctx.redis, ctx.prefix, 'expired') } }),
  listDeadLetters: async () => ({ query: { limit: '5' } }),
  ackDeadLetter: async (ctx) => ({
    params: { id: await seedSignal(ctx.redis, ctx.prefix, 'failed') },
    body: { note: 'checked by hand' },
  }),
  getSystem: async () => ({}),
  getStatsSummary: async () => ({}),
  getExecutionStats: async () => ({ query: { groupBy: 'strategy', bucket: '5m' } }),
  streamEvents: async () => ({ query: { follow: 'false' } }),
  // A resend of an alert already recorded: every caller allowed gets the same `200 duplicate`.
  submitSignal: async (ctx) => {
    const body = { id: 'role-table-resend', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 };
    const id = signalIdOf({ body, rawBody: Buffer.from(JSON.stringify(body)) });
    await ctx.redis.hset(`${ctx.prefix}:signal:${id}`, { id, status: 'filled' });
    return { body };
  },
  listSignals: async () => ({ query: { limit: '5', status: 'failed,expired', symbol: 'BTCUSDT' } }),
  createSubscription: async () => ({
    body: {
      url: `https://hooks.example.com/${Math.random().toString(36).slice(2)}`,
      events: ['signal.filled'],
    },
  }),
  listSubscriptions: async () => ({ query: { event: 'signal.filled' } }),
  getSubscription: async (ctx) => ({ params: { id: await seedSubscription(ctx.redis, ctx.prefix) } }),
  updateSubscription: async (ctx) => ({
    params: { id: await seedSubscription(ctx.redis, ctx.prefix) },
    body: { description: 'table', rotateSecret: true },
  }),
  deleteSubscription: async (ctx) => ({ params: { id: await seedSubscription(ctx.redis, ctx.prefix) } }),
  testSubscription: async (ctx) => ({ params: { id: await seedSubscription(ctx.redis, ctx.prefix) } }),
  replaySubscription: async (ctx) => ({
    params: { id: await seedSubscription(ctx.redis, ctx.prefix) },
    query: { since: new Date(Date.now() - 60_000).toISOString() },
  }),
  listDeliveries: async () => ({ query: { status: 'pending', limit: '5' } }),
  getDelivery: async (ctx) => ({ params: { id: await seedDelivery(ctx.redis, ctx.prefix) } }),
  retryDelivery: async (ctx) => ({ params: { id: await seedDelivery(ctx.redis, ctx.prefix) } }),
  listAccounts: async () => ({}),
  getAccount: async () => ({ params: { id: 'default' } }),
  flattenAccount: async () => ({ params: { id: 'default' } }),
  pauseAccount: async () => ({ params: { id: 'default' }, query: { hold: 'true' } }),
  resumeAccount: async () => ({ params: { id: 'default' } }),
  pauseAll: async () => ({}),
  resumeAll: async () => ({}),
};
