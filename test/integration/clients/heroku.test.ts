import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Server, createServer } from 'node:tls';
import Ajv from 'ajv';
import { Redis } from 'ioredis';
import { runReleaseCheck } from '../../../src/cli/release-check';
import { envSpecs } from '../../../src/config/env-specs';
import { closeRedis, createRedisClient, waitForReady } from '../../../src/redis/redis-client';
import { type OwnRedis, startOwnRedis } from '../../support/own-redis';
import { startTestApp } from '../../support/test-app';
import { REDIS_URL, uniquePrefix } from '../../support/test-redis';

const root = join(__dirname, '../../..');
const appJson = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
const procfile = Object.fromEntries(
  readFileSync(join(root, 'Procfile'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
);

/** Heroku Redis plans: connection limits (devcenter "Heroku Redis", plans table). */
const PLAN_CONNECTIONS: Record<string, number> = {
  'heroku-redis:mini': 20,
  'heroku-redis:premium-0': 40,
  'heroku-redis:premium-1': 80,
};

const goodEnv = (redisUrl = REDIS_URL) => ({
  REDIS_URL: redisUrl,
  WEBHOOK_TOKENS: 'release-token-123',
  NODE_ENV: 'production',
  QUEUE_PREFIX: uniquePrefix('release'),
});

describe('app.json', () => {
  it("when checked against Heroku's app.json schema, then it is valid", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures/heroku-app-json.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(appJson) ? [] : validate.errors).toEqual([]);
    // The schema can fail: an unknown key is refused.
    expect(validate({ ...appJson, formations: {} })).toBe(false);
  });

  it('when its config vars are read, then each is a variable tradehook reads, described, tokens generated', () => {
    for (const [name, spec] of Object.entries(appJson.env as Record<string, { description?: string }>)) {
      expect({ name, known: name in envSpecs }).toEqual({ name, known: true });
      expect({ name, described: (spec.description ?? '').length > 10 }).toEqual({ name, described: true });
    }
    expect(appJson.env.WEBHOOK_TOKENS.generator).toBe('secret');
    expect(appJson.env.METRICS_TOKEN.generator).toBe('secret');
    expect(appJson.env).toMatchObject({
      TRUST_PROXY: { value: '1' },
      REDIS_TLS_REJECT_UNAUTHORIZED: { value: 'false' },
      IP_ALLOWLIST: { value: 'tradingview' },
      NODE_ENV: { value: 'production' },
    });
  });

  it('when the formation is read, then it runs web and worker, each a Procfile process, and a release phase', () => {
    expect(Object.keys(appJson.formation).sort()).toEqual(['web', 'worker']);
    expect(Object.keys(procfile).sort()).toEqual(['release', 'web', 'worker']);
    expect(procfile.release).toBe('node dist/cli/release-main.js');
    expect(existsSync(join(root, 'src/cli/release-main.ts'))).toBe(true);
  });

  it('when web and worker run, then their Redis connections fit the plan, twice over during a deploy', async () => {
    const own = await startOwnRedis();
    const observer = new Redis(own.url);
    try {
      const app = await startTestApp('connections', { REDIS_URL: own.url }, { worker: true });
      try {
        const clients = (await observer.client('LIST')) as string;
        const used = clients.trim().split('\n').length - 1; // less the observer itself
        const plan = appJson.addons[0].plan as string;
        const quantity = (t: string) => appJson.formation[t].quantity as number;
        // A deploy starts the new dynos before the old ones are gone, beside the release phase and one
        // `heroku run` (keys CLI).
        const peak = 2 * used * Math.max(quantity('web'), quantity('worker')) + 2;
        expect({ plan, used, peak, fits: peak <= PLAN_CONNECTIONS[plan] }).toEqual({
          plan,
          used,
          peak,
          fits: true,
        });
      } finally {
        await app.close();
      }
    } finally {
      observer.disconnect();
      await own.stop();
    }
  }, 30_000);
});

describe('the release phase', () => {
  it('when the configuration is good and Redis does not evict, then it passes', async () => {
    const out: string[] = [];
    expect(await runReleaseCheck(goodEnv(), (l) => out.push(l))).toBe(0);
    expect(out.join('\n')).toMatch(/configuration valid[\s\S]*maxmemory-policy noeviction/);
  });

  it('when the configuration is bad, then it fails listing every problem, quoting no secret', async () => {
    const out: string[] = [];
    const env = {
      ...goodEnv(),
      WEBHOOK_TOKENS: 'short',
      RATE_LIMIT_PER_MINUTE: 'lots',
      WEBHOOK_SECRETS: 'whsec_x',
    };
    expect(await runReleaseCheck(env, (l) => out.push(l))).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/RATE_LIMIT_PER_MINUTE/);
    expect(text).toMatch(/WEBHOOK_TOKENS/);
    expect(text).not.toMatch(/short/);
  });

  describe('on a Redis of its own', () => {
    let own: OwnRedis;
    beforeAll(async () => {
      own = await startOwnRedis();
    });
    afterAll(() => own.stop());

    it('when Redis may evict keys, then it fails and says how to fix it on Heroku', async () => {
      const admin = new Redis(own.url);
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      admin.disconnect();
      const out: string[] = [];
      expect(await runReleaseCheck(goodEnv(own.url), (l) => out.push(l))).toBe(1);
      expect(out.join('\n')).toContain('heroku redis:maxmemory --policy noeviction');
    });

    it('when Redis does not answer, then it fails', async () => {
      // A Redis of this test's own, stopped: the shared one above stays up for the other test (random order).
      const gone = await startOwnRedis();
      const url = gone.url;
      await gone.stop();
      const out: string[] = [];
      expect(await runReleaseCheck(goodEnv(url), (l) => out.push(l), { redisTimeoutMs: 500 })).toBe(1);
      expect(out.at(-1)).toMatch(/Redis not reachable/);
    });
  });

  it('when run as the Procfile runs it (its own process), then it exits 0', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/release-main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...goodEnv() },
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/release: Redis answers/);
  }, 30_000);
});

describe('Heroku Redis TLS (rediss:// with a self-signed certificate)', () => {
  let dir: string;
  let proxy: Server;
  let tlsUrl: string;
  const sockets = new Set<{ destroy(): void }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=redis.heroku.test',
      ],
      { stdio: 'ignore' },
    );
    const target = new URL(REDIS_URL);
    // A TLS terminator in front of the test Redis, as Heroku Redis presents itself.
    proxy = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (socket) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        sockets.add(socket).add(upstream);
        socket.pipe(upstream).pipe(socket);
        const end = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      },
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    tlsUrl = `rediss://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when REDIS_TLS_REJECT_UNAUTHORIZED=false, then tradehook connects over TLS', async () => {
    const client = createRedisClient({ url: tlsUrl, tlsRejectUnauthorized: false, mode: 'fail-fast' });
    try {
      await waitForReady(client, 5000);
      await expect(client.ping()).resolves.toBe('PONG');
    } finally {
      await closeRedis(client);
    }
    const out: string[] = [];
    const env = { ...goodEnv(tlsUrl), REDIS_TLS_REJECT_UNAUTHORIZED: 'false' };
    expect(await runReleaseCheck(env, (l) => out.push(l))).toBe(0);
  });

  it('when the certificate is verified (the default), then the self-signed one is refused', async () => {
    const out: string[] = [];
    expect(await runReleaseCheck(goodEnv(tlsUrl), (l) => out.push(l), { redisTimeoutMs: 1500 })).toBe(1);
    expect(out.at(-1)).toMatch(/Redis not reachable/);
  });
});
