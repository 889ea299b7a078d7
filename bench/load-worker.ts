import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { signedAlertStream } from './alert-stream';
import { type LoadResult, percentile } from './load-result';
import { type LoadOptions } from './options';

/**
 * Outside the main thread autocannon hands back its raw, unaggregated result (it assumes its own workers
 * mode, and its exported `aggregateResult` then loses the per-second request samples), so the figures are
 * read from the raw fields, which @types/autocannon does not describe.
 */
interface RawResult {
  totalCompletedRequests: number;
  /** Per-second samples taken. */
  samples: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** What the main thread hands the load thread. */
export interface LoadJob {
  url: string;
  path: string;
  secret: string;
  /** Makes this run's webhook ids unique across runs sharing a Redis. */
  tag: string;
  expectedStatus: number;
  options: LoadOptions;
}

/** Messages from the load thread: `measuring` marks the end of the warm-up. */
export type LoadMessage =
  | { type: 'measuring' }
  | { type: 'done'; result: Omit<LoadResult, 'serverBusy' | 'serverCpuUsPerRequest'> }
  | { type: 'failed'; message: string };

/**
 * Runs in a worker thread so that building requests and parsing answers does not steal the event loop of
 * the server under test (which runs on the main thread): warm-up, then the measured run.
 */
async function runLoadJob(job: LoadJob, post: (message: LoadMessage) => void): Promise<void> {
  const next = signedAlertStream(job.secret, job.tag);
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: job.path,
      setupRequest: (request) => {
        const alert = next();
        return { ...request, headers: { ...request.headers, ...alert.headers }, body: alert.body };
      },
    },
  ];
  const base = { url: job.url, connections: job.options.connections, requests };

  if (job.options.warmupSeconds > 0) await autocannon({ ...base, duration: job.options.warmupSeconds });
  post({ type: 'measuring' });

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const before = performance.eventLoopUtilization();
  const measured = { ...base, duration: job.options.durationSeconds, skipAggregateResult: true };
  const result = await new Promise<RawResult>((resolve, reject) => {
    const instance = autocannon(measured, (error, r) =>
      error ? reject(error) : resolve(r as unknown as RawResult),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
    });
  });
  const clientBusy = performance.eventLoopUtilization(before).utilization;

  const sorted = latencies.subarray(0, count).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  const statusCounts: Record<string, number> = {};
  for (const [status, { count: n }] of Object.entries(result.statusCodeStats)) statusCounts[status] = n;
  const expected = statusCounts[String(job.expectedStatus)] ?? 0;
  const responses = Object.values(statusCounts).reduce((a, b) => a + b, 0);

  post({
    type: 'done',
    result: {
      requestsPerSecond: result.samples > 0 ? result.totalCompletedRequests / result.samples : 0,
      responses,
      durationSeconds: result.duration,
      latencyMs: {
        mean: count ? sum / count : 0,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: count ? sorted[count - 1] : 0,
      },
      statusCounts,
      non2xx: result.non2xx,
      unexpectedStatus: responses - expected,
      errors: result.errors,
      timeouts: result.timeouts,
      clientBusy,
    },
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  runLoadJob(workerData as LoadJob, (message) => port.postMessage(message)).catch((error: Error) =>
    port.postMessage({ type: 'failed', message: error.stack ?? error.message } satisfies LoadMessage),
  );
}
