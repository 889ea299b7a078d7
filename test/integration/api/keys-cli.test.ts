import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { dumpPrefix } from '../../support/api-keys';
import { startOwnRedis } from '../../support/own-redis';
import { type TestApp, startTestApp } from '../../support/test-app';
import { REDIS_URL } from '../../support/test-redis';

const ROOT = join(__dirname, '../../..');
let app: TestApp;

function keys(
  args: string[],
  entry = [join(ROOT, 'scripts/keys.mjs')],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REDIS_URL, QUEUE_PREFIX: app.prefix, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  app = await startTestApp('keyscli');
});
afterAll(() => app.close());

describe('npm run keys (a real child process)', () => {
  it('when a key is created, listed, used and revoked, then each step works and is audited', async () => {
    const created = await keys([
      'create',
      '--name',
      'ops',
      '--role',
      'admin',
      '--expires',
      '90d',
      '--rate-limit',
      '120',
    ]);
    expect(created).toMatchObject({ code: 0, err: '' });
    const [line, raw] = created.out.trim().split('\n');
    expect(line).toMatch(/^Created key_[0-9a-f]{16} \(ops, admin, active, 120\/min, expires /);
    expect(raw).toMatch(/^th_[A-Za-z0-9_-]{43}$/);
    const id = /key_[0-9a-f]{16}/.exec(line)?.[0] ?? '';

    const me = await request(app.url).get(`${API_BASE_PATH}/session`).set('authorization', `Bearer ${raw}`);
    expect(me.body).toMatchObject({ keyId: id, keyName: 'ops', role: 'admin' });

    const listed = await keys(['list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id, name: 'ops', state: 'active' })]);
    expect(listed.out).not.toContain(raw);

    const revoked = await keys(['revoke', id]);
    expect(revoked).toMatchObject({ code: 0, out: `Revoked ${id}; its sessions are ended.\n` });
    expect(
      (await request(app.url).get(`${API_BASE_PATH}/session`).set('authorization', `Bearer ${raw}`)).status,
    ).toBe(401);

    const audit = await app.redis.xrange(`${app.prefix}:audit`, '-', '+');
    expect(
      audit.map(
        ([, f]) => `${f[f.indexOf('action') + 1]} ${f[f.indexOf('target') + 1]} ${f[f.indexOf('via') + 1]}`,
      ),
    ).toEqual([`key.create key:${id} cli`, `key.revoke key:${id} cli`]);
    expect(await dumpPrefix(app.redis, app.prefix)).not.toContain(raw);
  }, 30_000);

  it.each([
    [['create', '--name', 'x', '--role', 'root'], /--role must be admin, trader or viewer/],
    [['create', '--role', 'admin'], /--name is required/],
    [['create', '--name', 'x', '--role', 'admin', '--expires', 'tomorrow'], /--expires: expected/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])(
    'when called as %j, then it exits 2 with the problem and the usage',
    async (args, message) => {
      const result = await keys(args);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).toContain('Usage: npm run keys');
    },
    30_000,
  );

  it('when an unknown id is revoked, then it exits 1 saying so', async () => {
    expect(await keys(['revoke', 'key_0000000000000000'])).toMatchObject({
      code: 1,
      out: 'No API key key_0000000000000000.\n',
    });
  }, 30_000);

  it('when Redis is down, then it ends at once with one line saying so and exit code 1, no stack', async () => {
    const down = await startOwnRedis();
    await down.stop();
    const listed = await keys(['list'], undefined, { REDIS_URL: down.url });
    expect(listed).toEqual({
      code: 1,
      out: '',
      err: `keys: cannot reach Redis (connect ECONNREFUSED 127.0.0.1:${down.port}): is it running, and is REDIS_URL right? Nothing was changed.\n`,
    });
  }, 30_000);

  it('when built (as on Heroku, where tsx is pruned), then the compiled CLI runs with plain node', async () => {
    const out = join(ROOT, `.test-dist-${process.pid}`);
    try {
      const tsc = spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          'src/main/keys.ts',
          '--outDir',
          out,
          '--rootDir',
          'src',
          '--module',
          'commonjs',
          '--target',
          'ES2022',
          '--esModuleInterop',
          '--skipLibCheck',
          '--types',
          'node',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(tsc.stdout + tsc.stderr).toBe('');
      const generated = await keys(['generate'], [join(out, 'main/keys.js')]);
      expect(generated.out).toMatch(/^th_[A-Za-z0-9_-]{43}\n$/);
      const listed = await keys(['list'], [join(out, 'main/keys.js')]);
      expect(listed.code).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
