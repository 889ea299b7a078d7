import request from 'supertest';
import { type z } from 'zod';
import { errorBodySchema } from '../../../src/api/openapi';
import { API_BASE_PATH } from '../../../src/api/registry';
import { type ApiRoute } from '../../../src/api/route';
import { ROLES, type Role, roleAtLeast } from '../../../src/keys/roles';
import { issueKey } from '../../support/api-keys';
import { ROUTE_EXAMPLES } from '../../support/route-examples';
import { type TestApp, startTestApp } from '../../support/test-app';

type Caller = 'anonymous' | 'revoked' | 'expired' | Role;
const CALLERS: Caller[] = ['anonymous', 'revoked', 'expired', ...ROLES];

let app: TestApp;
let routes: readonly ApiRoute[];
const keys = new Map<Caller, string>();

beforeAll(async () => {
  app = await startTestApp('roles', { API_RATE_LIMIT_PER_MINUTE: '10000' });
  routes = (await app.web.management()).registry.routes();
  for (const role of ROLES) keys.set(role, (await issueKey(app.redis, app.prefix, role)).key);
  // A second admin keeps the table's admin from ever being the last one.
  await issueKey(app.redis, app.prefix, 'admin');
  const revoked = await issueKey(app.redis, app.prefix, 'admin');
  await request(app.url)
    .delete(`${API_BASE_PATH}/keys/${revoked.id}`)
    .set('authorization', `Bearer ${keys.get('admin')}`)
    .expect(200);
  keys.set('revoked', revoked.key);
  const expired = await issueKey(app.redis, app.prefix, 'admin', { expiresAt: Date.now() - 1000 });
  keys.set('expired', expired.key);
});
afterAll(() => app.close());

/** The status a caller must get: 401 without a working key, 403 below the route's role, else success. */
function expectedStatus(route: ApiRoute, caller: Caller): number {
  const success = Number(Object.keys(route.responses).find((s) => Number(s) < 300));
  if (route.access === 'public') return success;
  if (caller === 'anonymous' || caller === 'revoked' || caller === 'expired') return 401;
  return roleAtLeast(caller, route.access) ? success : 403;
}

async function send(route: ApiRoute, caller: Caller, via: 'bearer' | 'session') {
  const example = ROUTE_EXAMPLES[route.operationId];
  const input = await example({
    issueKey: (role) => issueKey(app.redis, app.prefix, role),
    redis: app.redis,
    prefix: app.prefix,
  });
  const path = route.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(input.params?.[name] ?? ''),
  );
  const agent = request(app.url);
  const req = agent[route.method](API_BASE_PATH + path).query(input.query ?? {});
  const key = keys.get(caller);
  if (key && via === 'bearer') req.set('authorization', `Bearer ${key}`);
  if (key && via === 'session') {
    // Sign in with the key as it was while valid (revoked/expired ones cannot sign in: no cookie, so 401).
    const signIn = await request(app.url).post(`${API_BASE_PATH}/session`).send({ apiKey: key });
    const cookie = signIn.headers['set-cookie']?.[0]?.split(';')[0];
    if (cookie) req.set('cookie', cookie).set('origin', app.url);
  }
  return input.body === undefined ? req : req.send(input.body as object);
}

describe('role × route table', () => {
  it('when a route is registered, then it has an example request in test/support/route-examples.ts', () => {
    const missing = routes.filter((r) => !ROUTE_EXAMPLES[r.operationId]).map((r) => r.operationId);
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  for (const via of ['bearer', 'session'] as const) {
    it.each(CALLERS)(
      `when a %s caller (${via}) calls every route, then each answers its documented status and shape`,
      async (caller) => {
        const seen: string[] = [];
        const wanted: string[] = [];
        for (const route of routes) {
          const res = await send(route, caller, via);
          const label = `${route.method.toUpperCase()} ${route.path}`;
          seen.push(`${label} ${res.status}`);
          wanted.push(`${label} ${expectedStatus(route, caller)}`);
          const spec = res.status >= 400 ? undefined : route.responses[res.status];
          const schema: z.ZodType | undefined = res.status >= 400 ? errorBodySchema : spec?.schema;
          if (schema) {
            // A body that is not JSON (the event stream) is checked as the text it is.
            const parsed = schema.safeParse(spec?.mediaType ? res.text : res.body);
            expect({ label, issues: parsed.error?.issues ?? [] }).toEqual({ label, issues: [] });
          }
          if (route.audit && res.status < 300) {
            // Every successful write leaves its audit entry, under its own request id.
            const entries = await app.redis.xrange(`${app.prefix}:audit`, '-', '+');
            const mine = entries.filter(([, f]) => f.includes(res.headers['x-request-id']));
            expect({ label, actions: mine.map(([, f]) => f[f.indexOf('action') + 1]) }).toEqual({
              label,
              actions: [route.audit.action],
            });
          }
          if (res.status === 403) expect(res.body.error).toBe('forbidden');
          if (res.status === 401) {
            // Never says whether the key exists, expired or was revoked.
            expect(res.body).toEqual({
              error: 'unauthorized',
              message: 'a valid API key (Authorization: Bearer th_…) or session is required',
            });
          }
        }
        expect(seen).toEqual(wanted);
      },
    );
  }
});
