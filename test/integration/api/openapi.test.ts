import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { openApiPath } from '../../../src/api/openapi';
import { type TestApp, startTestApp } from '../../support/test-app';

let app: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document is walked as plain JSON
let doc: any;

beforeAll(async () => {
  app = await startTestApp('openapi');
  const res = await request(app.url).get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => app.close());

describe('GET /openapi.json', () => {
  it('when fetched without credentials, then it is an OpenAPI 3.1 document with both security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'apiKey',
      'metricsToken',
      'session',
      'webhookHmac',
      'webhookToken',
    ]);
    expect(doc.components.schemas).toEqual(
      expect.objectContaining({ ApiKey: expect.any(Object), Error: expect.any(Object) }),
    );
  });

  it('when compared with the registry, then every route is documented at its path, method and operationId', async () => {
    const routes = (await app.web.management()).registry.routes();
    for (const route of routes) {
      const op = doc.paths[openApiPath(API_BASE_PATH + route.path)]?.[route.method];
      expect({ route: route.operationId, documented: op?.operationId }).toEqual({
        route: route.operationId,
        documented: route.operationId,
      });
      const statuses = Object.keys(op.responses);
      for (const status of Object.keys(route.responses)) expect(statuses).toContain(status);
      // Every route needs Redis (authentication at least): its outage answer is documented everywhere.
      expect({ route: route.operationId, retryAfter: op.responses['503']?.headers?.['Retry-After'] }).toEqual(
        {
          route: route.operationId,
          retryAfter: expect.objectContaining({ schema: { type: 'integer' } }),
        },
      );
      if (route.access !== 'public') {
        expect(statuses).toEqual(expect.arrayContaining(['401', '403', '429']));
        expect(op['x-minimum-role']).toBe(route.access);
      } else {
        expect(op.security).toEqual([]);
      }
    }
    expect(doc.paths['/metrics'].get.operationId).toBe('getMetrics');
  });

  it('when a body schema is strict, then the document refuses unknown fields too', () => {
    const body = doc.paths[`${API_BASE_PATH}/keys`].post.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'role']));
    expect(Object.keys(schema.properties).sort()).toEqual([
      'expiresAt',
      'name',
      'rateLimitPerMinute',
      'role',
    ]);
  });

  it('when a list route is documented, then limit and cursor are query parameters with their bounds', () => {
    const params = doc.paths[`${API_BASE_PATH}/audit`].get.parameters as {
      name: string;
      in: string;
      schema: Record<string, unknown>;
    }[];
    const limit = params.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', schema: { minimum: 1, maximum: 200, default: 50 } });
    expect(params.map((p) => p.name)).toEqual(
      expect.arrayContaining(['cursor', 'keyId', 'action', 'since', 'until']),
    );
    const path = doc.paths[`${API_BASE_PATH}/keys/{id}`].delete.parameters as { name: string; in: string }[];
    expect(path).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });
});
