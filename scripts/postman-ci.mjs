// Runs the Postman collection with newman against a live tradehook: the real web and worker processes on
// the offline paper exchange, a fresh Redis key prefix and a free port, an admin key bootstrapped through
// ADMIN_API_KEY. Exits non-zero when any Postman test fails. `node scripts/postman-ci.mjs [--built]`
// (--built runs dist/ as `npm start` does; otherwise src/ through tsx).
/* global fetch */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const newman = require('newman');
const { Redis } = require('ioredis');

const root = fileURLToPath(new URL('..', import.meta.url));
const built = process.argv.includes('--built');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const port = await freePort();
// The notification receiver the collection subscribes: answers 204 to anything, counts what it got.
let received = 0;
const receiver = createHttpServer((req, res) => {
  received += 1;
  req.resume();
  res.writeHead(204).end();
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/events`;
const prefix = `postman-ci-${randomBytes(4).toString('hex')}`;
const secrets = {
  webhookToken: randomBytes(18).toString('hex'),
  webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
  adminKey: `th_${randomBytes(32).toString('base64url')}`,
};
const env = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  PORT: String(port),
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: prefix,
  EXCHANGE: 'paper',
  ACCOUNTS: '',
  ACCOUNTS_FILE: '',
  WEBHOOK_TOKENS: secrets.webhookToken,
  WEBHOOK_SECRETS: secrets.webhookSecret,
  ADMIN_API_KEY: secrets.adminKey,
  IP_ALLOWLIST: '',
  RATE_LIMIT_PER_MINUTE: '1000',
  // The receiver above is http on loopback, which production refuses.
  ALLOW_INSECURE_WEBHOOK_URLS: 'true',
};

const entry = (name) =>
  built
    ? ['--import', './dist/main/instrument.js', `dist/main/${name}.js`]
    : ['--import', 'tsx', `src/main/${name}.ts`];
const children = ['web', 'worker'].map((name) => {
  const child = spawn(process.execPath, entry(name), {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`postman-ci: ${name} exited early (${signal ?? code})`);
      process.exitCode = 1;
    }
  });
  return { name, child };
});
let stopping = false;

async function stop() {
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function waitUntilReady(baseUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/ready`);
      const body = await res.json();
      if (res.status === 200 && body.status === 'ready') return;
      last = JSON.stringify(body);
    } catch (error) {
      last = error.message;
    }
    await sleep(250);
  }
  throw new Error(`tradehook was not ready within ${timeoutMs / 1000} s: ${last}`);
}

const baseUrl = `http://127.0.0.1:${port}`;
const readJson = (name) => JSON.parse(readFileSync(`${root}postman/${name}`, 'utf8'));
let failures = 1;
try {
  await waitUntilReady(baseUrl, 60_000);
  const summary = await new Promise((resolve, reject) =>
    newman.run(
      {
        collection: readJson('tradehook.postman_collection.json'),
        environment: readJson('tradehook.postman_environment.json'),
        envVar: [
          { key: 'baseUrl', value: baseUrl },
          { key: 'receiverUrl', value: receiverUrl },
          ...Object.entries(secrets).map(([key, value]) => ({ key, value })),
        ],
        reporters: ['cli'],
        reporter: { cli: { noSummary: false } },
        timeoutRequest: 10_000,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  failures = summary.run.failures.length;
  console.log(
    `postman-ci: ${summary.run.stats.assertions.total} assertions, ${failures} failures; the receiver got ${received} notification(s)`,
  );
} catch (error) {
  console.error(`postman-ci: ${error.message}`);
} finally {
  await stop();
  receiver.close();
}
process.exit(failures === 0 && !process.exitCode ? 0 : 1);
