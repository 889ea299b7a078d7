import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { type Redis } from 'ioredis';
import { clockMs, sleep } from './engine-clock';
import { statCpuSeconds } from './thread-cpu';

/** A process of the burst benchmark (web, worker or the reference intake), started as in production. */
export interface BenchProcess {
  child: ChildProcess;
  /** Start until its first `/health` 200 (web, reference) or its "worker started" line (worker). */
  bootMs: number;
  port?: number;
  /** User + system CPU seconds used so far (/proc; NaN elsewhere). */
  cpuSeconds(): number;
  /** The same, split into the main thread and the others (V8's GC and compiler threads). */
  threadCpuSeconds(): ThreadCpu;
  /** Resident memory now, MB (/proc). */
  rssMb(): number;
  /** Its stdout and stderr so far: all of it with `keepOutput`, else the last 4,000 characters. */
  output(): string;
  stop(): Promise<void>;
}

function procCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds by thread. */
export interface ThreadCpu {
  /** The event loop's thread: JavaScript, and the garbage collection V8 does on it. */
  main: number;
  /**
   * Every other thread: V8's platform workers (parallel scavenges, concurrent marking, compilation) and
   * libuv's pool (which the intake does not use). Node 20 names them all `node`, so they are not told apart.
   */
  helpers: number;
}

function procThreadCpu(pid: number): ThreadCpu {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { main: NaN, helpers: NaN };
  }
  const split: ThreadCpu = { main: 0, helpers: 0 };
  for (const tid of tasks) {
    // A thread that ended between the listing and the read reads NaN: its time is missing from the split only.
    const seconds = statCpuSeconds(`/proc/${pid}/task/${tid}/stat`);
    if (Number.isNaN(seconds)) continue;
    if (tid === String(pid)) split.main += seconds;
    else split.helpers += seconds;
  }
  return split;
}

function procRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Spawns `node <args>` and waits until it is ready: `ready` is a line on its stdout (the worker's log), or
 * `/health` answering 200 on `port` (the web, whose port the benchmark chooses).
 */
export async function startProcess(options: {
  args: string[];
  env: Record<string, string>;
  ready: { health: number } | { line: RegExp };
  timeoutMs?: number;
  /** Keep the whole output (e.g. V8's traces), not only its tail. */
  keepOutput?: boolean;
}): Promise<BenchProcess> {
  const t0 = clockMs();
  const child = spawn(process.execPath, options.args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) =>
    (out = options.keepOutput ? out + c.toString() : (out + c.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = t0 + (options.timeoutMs ?? 30_000);
  const ready = options.ready;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early (${child.exitCode}):\n${out}`);
    if (clockMs() > deadline) throw new Error(`process not ready in time:\n${out}`);
    if ('line' in ready) {
      if (ready.line.test(out)) break;
      await sleep(5);
    } else {
      const ok = await fetch(`http://127.0.0.1:${ready.health}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await sleep(5);
    }
  }
  const bootMs = clockMs() - t0;
  const pid = child.pid ?? 0;
  return {
    child,
    bootMs,
    port: 'health' in ready ? ready.health : undefined,
    cpuSeconds: () => procCpuSeconds(pid),
    threadCpuSeconds: () => procThreadCpu(pid),
    rssMb: () => procRssMb(pid),
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Clients connected to Redis now (CLIENT LIST), minus the one asking. */
export async function redisClients(redis: Redis): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  return list.split('\n').filter((l) => l.trim() !== '').length - 1;
}
