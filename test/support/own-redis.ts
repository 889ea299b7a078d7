import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway redis-server of a test's own: it may be reconfigured or killed without touching the shared one. */
export interface OwnRedis {
  url: string;
  port: number;
  /** Kills it (SIGKILL: an outage, not a shutdown); nothing if it is already down. */
  stop(): Promise<void>;
  /**
   * Starts it again on the same port (clients reconnect to the same URL by themselves): empty, or with every
   * write acknowledged before the kill when started with `persist`.
   */
  restart(): Promise<void>;
  /** Stops it for good and removes its data directory (`persist`). */
  close(): Promise<void>;
}

export interface OwnRedisOptions {
  /** Keep data across {@link OwnRedis.restart}, as a production Redis with AOF does (fsync on every write). */
  persist?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function spawnRedis(port: number, dir: string | undefined): Promise<ChildProcess> {
  const storage = dir
    ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...storage,
    ]);
    let output = '';
    child.on('error', reject);
    const onExit = () =>
      reject(new Error(`redis-server on port ${port} exited before it was ready: ${output}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.off('exit', onExit);
        resolve(child);
      }
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startOwnRedis(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = options.persist ? mkdtempSync(join(tmpdir(), 'own-redis-')) : undefined;
  let child = await spawnRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => kill(child),
    async restart() {
      await kill(child);
      child = await spawnRedis(port, dir);
    },
    async close() {
      await kill(child);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
