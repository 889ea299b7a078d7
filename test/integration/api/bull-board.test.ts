import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { SIGNAL_PARTITIONS } from '../../../src/queue/partitions';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await startTestApp('bullboard');
  admin = (await issueKey(app.redis, app.prefix, 'admin')).key;
});
afterAll(() => app.close());

const board = (path = '') => request(app.url).get(`/admin/queues${path}`);
interface BoardQueue {
  name: string;
  readOnlyMode: boolean;
}

describe('Bull Board at /admin/queues', () => {
  it('when called without credentials, then 401 JSON; with a viewer or trader key, 403', async () => {
    const none = await board('/api/queues');
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('unauthorized');
    for (const role of ['viewer', 'trader'] as const) {
      const { key } = await issueKey(app.redis, app.prefix, role);
      const res = await board('/api/queues').set('authorization', `Bearer ${key}`);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
  });

  it('when an admin opens it, then the page loads and every signal partition is listed, read-only', async () => {
    const page = await board('/').set('authorization', `Bearer ${admin}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('tradehook queues');
    const res = await board('/api/queues').set('authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    const queues = res.body.queues as BoardQueue[];
    const signals = queues.filter((q) => q.name.startsWith('signals-'));
    expect(signals.map((q) => q.name).sort()).toEqual(
      Array.from({ length: SIGNAL_PARTITIONS }, (_, p) => `signals-${p}`).sort(),
    );
    expect(signals.every((q) => q.readOnlyMode)).toBe(true);
  });

  it("when an admin's session cookie is used, then it works too; its writes need this site's Origin", async () => {
    const signIn = await request(app.url).post(`${API_BASE_PATH}/session`).send({ apiKey: admin });
    const cookie = signIn.headers['set-cookie'][0].split(';')[0];
    expect((await board('/api/queues').set('cookie', cookie)).status).toBe(200);
    const write = () =>
      request(app.url).put('/admin/queues/api/queues/signals-0/pause').set('cookie', cookie);
    expect((await write()).status).toBe(403);
  });

  it('when a queue is registered later, then the board shows it, writable, and its writes are audited', async () => {
    const later = new Queue('notifications', { connection: app.redis, prefix: app.prefix });
    // Closed with the catalog when the app closes.
    app.web.core.catalog.register(later, { readOnly: false });
    {
      const res = await board('/api/queues').set('authorization', `Bearer ${admin}`);
      expect((res.body.queues as BoardQueue[]).find((q) => q.name === 'notifications')).toMatchObject({
        readOnlyMode: false,
      });
      const pause = await request(app.url)
        .put('/admin/queues/api/queues/notifications/pause')
        .set('authorization', `Bearer ${admin}`);
      expect(pause.status).toBe(200);
      expect(await later.isPaused()).toBe(true);
      const audit = await request(app.url)
        .get(`${API_BASE_PATH}/audit`)
        .query({ action: 'queues.change' })
        .set('authorization', `Bearer ${admin}`);
      // Only this queue's entries: another test of this file may have been refused on a signal queue first.
      const entries = (audit.body.items as Array<{ target: string }>).filter((i) =>
        i.target.includes('/queues/notifications/'),
      );
      expect(entries).toEqual([
        expect.objectContaining({
          target: 'PUT /admin/queues/api/queues/notifications/pause',
          status: 200,
          requestId: pause.headers['x-request-id'],
        }),
      ]);
    }
  });

  it('when an admin tries to change a signal queue, then Bull Board refuses (read-only)', async () => {
    const res = await request(app.url)
      .put('/admin/queues/api/queues/signals-0/pause')
      .set('authorization', `Bearer ${admin}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('Bull Board in a real web process', () => {
  it('when it is loaded and used, then the web process still has not loaded ccxt', async () => {
    const prefix = uniquePrefix('boardccxt');
    const key = `th_${'boardProbeKey0123456789-_'.repeat(2)}`;
    const script = [
      "const { loadConfig } = require('./src/config/config');",
      "const { startWeb } = require('./src/main/web-process');",
      "const { createLogger } = require('./src/observability/logger');",
      '(async () => {',
      `  const config = loadConfig({ REDIS_URL: '${REDIS_URL}', WEBHOOK_TOKENS: 'probe-token', PORT: '0', QUEUE_PREFIX: '${prefix}', ADMIN_API_KEY: '${key}' });`,
      "  const web = await startWeb(config, createLogger({ level: 'error', json: true }));",
      '  await web.core.bootstrapped;',
      `  const res = await fetch('http://127.0.0.1:' + web.port + '/admin/queues/api/queues', { headers: { authorization: 'Bearer ${key}' } });`,
      "  const ccxt = Object.keys(require.cache).filter((k) => k.includes('node_modules/ccxt/')).length;",
      "  const board = Object.keys(require.cache).filter((k) => k.includes('node_modules/@bull-board/')).length;",
      '  console.log(JSON.stringify({ status: res.status, ccxt, board }));',
      '  await web.close(100);',
      '})();',
    ].join('\n');
    const root = join(__dirname, '../../..');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    await dropPrefix(prefix);
    const result = JSON.parse(out.trim().split('\n').pop() ?? 'null');
    expect(result).toEqual({ status: 200, ccxt: 0, board: expect.any(Number) });
    expect(result.board).toBeGreaterThan(0); // the probe does see Bull Board, so it would see ccxt
  }, 30_000);
});
