import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { type LoadResult } from './load-result';
import type { LoadJob, LoadMessage } from './load-worker';
import { type LoadOptions } from './options';
import { mainThreadCpuSeconds } from './thread-cpu';

export interface LoadTarget {
  /** `http://127.0.0.1:<port>` */
  url: string;
  path: string;
  expectedStatus: number;
}

/**
 * Loads `target` with the signed alert stream from a worker thread (its own event loop, so the server on
 * this thread only pays for serving) and returns the measured figures, warm-up excluded.
 */
export function runLoad(target: LoadTarget, secret: string, options: LoadOptions): Promise<LoadResult> {
  const job: LoadJob = { ...target, secret, options, tag: randomBytes(6).toString('hex') };
  // The worker does not inherit tsx's hooks: register them before loading the TypeScript entry.
  const entry = path.join(__dirname, 'load-worker.ts');
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(entry)});`;
  const worker = new Worker(source, { eval: true, workerData: job });

  return new Promise<LoadResult>((resolve, reject) => {
    let serverStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;
    let cpuStart = NaN;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    worker.on('message', (message: LoadMessage) => {
      if (message.type === 'measuring') {
        serverStart = performance.eventLoopUtilization();
        cpuStart = mainThreadCpuSeconds();
      } else if (message.type === 'done') {
        const serverBusy = serverStart ? performance.eventLoopUtilization(serverStart).utilization : NaN;
        const cpu = mainThreadCpuSeconds() - cpuStart;
        const serverCpuUsPerRequest =
          message.result.responses > 0 ? (cpu * 1e6) / message.result.responses : NaN;
        settle(() => resolve({ ...message.result, serverBusy, serverCpuUsPerRequest }));
      } else settle(() => reject(new Error(`load thread failed: ${message.message}`)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`load thread exited (code ${code}) without a result`))),
    );
  });
}
