import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { type TestApp, startTestApp } from '../../support/test-app';
import { registeredRoutes } from './express-routes';

const run = promisify(execFile);
const VALIDATOR = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');

/**
 * Routes served by a third-party package, not by tradehook's own declarations: Bull Board's UI and its
 * JSON API (documented by Bull Board; the admin-only mount is what tradehook adds), and the static
 * assets of Swagger UI itself.
 */
const UNDOCUMENTED = [/^\/admin\/queues(\/|$)/, /^\/docs\/[^/]+$/];

let app: TestApp;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document is walked as plain JSON
let doc: any;

beforeAll(async () => {
  app = await startTestApp('openapi-coverage');
  const res = await request(app.url).get('/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => app.close());

const documented = (): string[] =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );

describe('the OpenAPI document', () => {
  it('when checked by an OpenAPI 3.1 schema validator, then it is valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(doc));
      const { stdout } = await run(process.execPath, [VALIDATOR, file]).catch(
        (error: { stdout: string }) => error,
      );
      expect(JSON.parse(stdout)).toEqual({ valid: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('when a broken document is checked, then the validator says so (the check can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      const broken = structuredClone(doc);
      broken.paths['/webhook'].post.responses['202'] = { content: 'not an object' };
      await writeFile(file, JSON.stringify(broken));
      const failure = await run(process.execPath, [VALIDATOR, file]).then(
        () => undefined,
        (error: { stdout: string }) => error,
      );
      expect(JSON.parse(failure?.stdout ?? '{}')).toMatchObject({ valid: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('when compared with the routes Express serves, then each documents the other', async () => {
    const served = registeredRoutes(await app.web.app())
      .filter((r) => !UNDOCUMENTED.some((pattern) => pattern.test(r.path)))
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(10);
    expect([...new Set(served)].sort()).toEqual(documented().sort());
  });

  it('when the webhook is documented, then both authentication modes and every answer have a body', () => {
    expect(doc.components.securitySchemes).toEqual(
      expect.objectContaining({
        webhookHmac: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'webhook-signature' }),
        webhookToken: expect.objectContaining({ type: 'apiKey' }),
      }),
    );
    const post = doc.paths['/webhook'].post;
    expect(post.security).toEqual([{ webhookHmac: [] }, { webhookToken: [] }]);
    expect(doc.paths['/webhook/{token}'].post.security).toEqual([{ webhookToken: [] }]);
    expect(Object.keys(post.responses).sort()).toEqual(
      ['200', '202', '400', '401', '403', '413', '415', '429', '503'].sort(),
    );
    for (const [status, response] of Object.entries(post.responses as Record<string, { content?: object }>))
      expect({ status, content: Object.keys(response.content ?? {}) }).toEqual({
        status,
        content: ['application/json'],
      });
    expect(post.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
  });

  it('when any operation is documented, then every answer but a 204 or a redirect has a body', () => {
    const bodiless = Object.entries(
      doc.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses as Record<string, { content?: object }>)
          .filter(([status, r]) => status !== '204' && !status.startsWith('3') && !r.content)
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(bodiless).toEqual([]);
    expect(Object.keys(doc.paths['/api/v1/events'].get.responses['200'].content)).toEqual([
      'text/event-stream',
    ]);
  });

  it('when the alert body is documented, then it is the schema that validates alerts (strict, every field)', () => {
    const ref = doc.paths['/webhook'].post.requestBody.content['application/json'].schema.$ref as string;
    const alert = doc.components.schemas[ref.split('/').pop() as string];
    expect(alert.additionalProperties).toBe(false);
    expect(Object.keys(alert.properties)).toEqual(
      expect.arrayContaining(['token', 'symbol', 'action', 'sentiment', 'quantity', 'positionSize', 'meta']),
    );
    expect(doc.paths['/webhook'].post.requestBody.content['text/plain']).toBeDefined();
  });
});

describe('GET /docs', () => {
  it('when opened, then Swagger UI loads from this server with no inline script under a strict CSP', async () => {
    const res = await request(app.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const scripts = [...(res.text as string).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(attributes).toMatch(/src="\/docs\//);
    }
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it('when its assets are fetched, then they come from the installed package and point at /openapi.json', async () => {
    const bundle = await request(app.url).get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    expect((await request(app.url).get('/docs/swagger-ui.css')).status).toBe(200);
    const init = await request(app.url).get('/docs/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
    expect((await request(app.url).get('/docs/package.json')).status).toBe(404);
    expect((await request(app.url).get('/docs/..%2Fpackage.json')).status).toBe(404);
  });
});
