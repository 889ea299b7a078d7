import { type Role } from '../../src/keys/roles';

/** What an example may set up before its request: keys to act on. */
export interface ExampleContext {
  issueKey(role: Role): Promise<{ id: string; key: string }>;
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
};
