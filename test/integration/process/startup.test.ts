import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const ROOT = join(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Runs an entry point to its exit; resolves with its exit code and what it wrote to stderr and stdout. */
function runToExit(
  entry: string,
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(TSX, [join(ROOT, entry)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', REDIS_URL, NODE_ENV: 'production', ...env },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
}

describe('.env in the working directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradehook-env-'));
    // Two bad values in the file; the environment sets one of them right and must win.
    writeFileSync(
      join(dir, '.env'),
      'WEBHOOK_TOKENS=env-file-token\nRATE_LIMIT_PER_MINUTE=lots\nLOG_LEVEL=chatty\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['src/main/web.ts', 'src/main/worker.ts', 'src/main/dev.ts'])(
    'when %s starts, then it reads .env, and variables already set win',
    async (entry) => {
      const { code, stderr } = await runToExit(entry, { LOG_LEVEL: 'info' }, dir);
      expect(code).toBe(1);
      expect(stderr).toContain('RATE_LIMIT_PER_MINUTE');
      expect(stderr).not.toContain('LOG_LEVEL');
    },
    30_000,
  );
});

describe('a port already in use', () => {
  let blocker: Server;
  let port: number;
  const prefix = uniquePrefix('port-in-use');
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    await dropPrefix(prefix);
  });

  it.each(['src/main/web.ts', 'src/main/dev.ts'])(
    'when %s is started on it, then one line says so and it exits 1 (dev: its worker stops too)',
    async (entry) => {
      const { code, stderr } = await runToExit(entry, {
        PORT: String(port),
        WEBHOOK_TOKENS: 'port-token-1',
        QUEUE_PREFIX: prefix,
      });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([`tradehook cannot start: port ${port} is already in use`]);
      // dev's worker closed before the exit: it took its heartbeat away (a killed one leaves it behind).
      const redis = new Redis(REDIS_URL);
      try {
        expect(await redis.hlen(`${prefix}:workers`)).toBe(0);
      } finally {
        redis.disconnect();
      }
    },
    30_000,
  );
});
