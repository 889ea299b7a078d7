import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * A web process loads its Express side (the management API, docs, dashboard, readiness) on the first request
 * that needs it: taking alerts and answering `/health` never loads it. Run in a child process of its own, so
 * that the module cache it reports is the web process's alone.
 */
describe('web process: the operations side loads on first use', () => {
  const prefix = uniquePrefix('lazy-ops');
  afterAll(() => dropPrefix(prefix));

  it('when only alerts and /health have come, then Express and the API are not loaded; the first other request loads them and is answered, as are requests that come while they load', async () => {
    const script = [
      "const { loadConfig } = require('./src/config/config');",
      "const { startWeb } = require('./src/main/web-process');",
      "const { createLogger } = require('./src/observability/logger');",
      'const loaded = (part) => Object.keys(require.cache).filter((k) => k.includes(part)).length;',
      "const parts = () => ({ express: loaded('node_modules/express/'), api: loaded('/src/api/management'), dashboard: loaded('/src/http/dashboard-static') });",
      '(async () => {',
      `  const config = loadConfig({ REDIS_URL: '${REDIS_URL}', WEBHOOK_TOKENS: 'lazy-token', PORT: '0', QUEUE_PREFIX: '${prefix}' });`,
      "  const web = await startWeb(config, createLogger({ level: 'error', json: true }));",
      "  const base = 'http://127.0.0.1:' + web.port;",
      "  const alert = await fetch(base + '/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'lazy-token', id: 'lazy-1', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001, timestamp: new Date().toISOString() }) });",
      "  const health = await fetch(base + '/health');",
      '  const before = parts();',
      // Three requests at once, the first ones while the side loads.
      "  const later = await Promise.all(['/ready', '/openapi.json', '/nowhere'].map((p) => fetch(base + p).then((r) => r.status)));",
      '  const after = parts();',
      '  console.log(JSON.stringify({ alert: alert.status, health: health.status, before, later, after }));',
      '  await web.close(100);',
      '})();',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: join(__dirname, '../../..'),
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    const result = JSON.parse(out.trim().split('\n').pop() ?? 'null');

    expect(result).toEqual({
      alert: 202,
      health: 200,
      before: { express: 0, api: 0, dashboard: 0 },
      later: [200, 200, 404],
      after: { express: expect.any(Number), api: 1, dashboard: 1 },
    });
    // The probe sees Express once it is loaded, so it would have seen it before.
    expect(result.after.express).toBeGreaterThan(0);
  }, 30_000);
});
