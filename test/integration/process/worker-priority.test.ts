import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const ROOT = join(__dirname, '../../..');

/** The nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

/** Starts the worker entry as `node` itself (not a tsx wrapper process), waits for "worker started". */
async function startWorker(env: Record<string, string>) {
  const prefix = uniquePrefix('nice');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/worker.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL,
      NODE_ENV: 'production',
      QUEUE_PREFIX: prefix,
      WEBHOOK_TOKENS: 'nice-token-1',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 20_000;
  while (!out.includes('worker started')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid as number,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await dropPrefix(prefix);
    },
  };
}

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('worker CPU priority (WORKER_NICE)', () => {
  it('when WORKER_NICE is 7, then every thread of the worker process runs at nice 7, and the log says so', async () => {
    const worker = await startWorker({ WORKER_NICE: '7' });
    try {
      const nices = threadNices(worker.pid);
      // V8 and libuv start threads before the entry runs: the main thread alone would not be enough.
      expect(nices.length).toBeGreaterThan(1);
      expect(nices.every((n) => n === 7)).toBe(true);
      const line = worker
        .output()
        .split('\n')
        .find((l) => l.includes('worker CPU priority lowered'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'info', nice: 7, threads: nices.length });
    } finally {
      await worker.stop();
    }
  }, 40_000);

  it('when WORKER_NICE is 0, then the worker keeps the priority it was started with', async () => {
    const worker = await startWorker({ WORKER_NICE: '0' });
    try {
      const nices = threadNices(worker.pid);
      expect(nices.every((n) => n === getPriority())).toBe(true);
      expect(worker.output()).not.toContain('worker CPU priority lowered');
    } finally {
      await worker.stop();
    }
  }, 40_000);
});
