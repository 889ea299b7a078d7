import { type IntakeBenchFigures } from './intake-bench';
import { type LoadResult } from './load-result';

const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** The human-readable report of the intake benchmark. */
export function formatIntakeReport(f: IntakeBenchFigures): string {
  const { durationSeconds, connections, warmupSeconds } = f.load;
  const rows: Array<[string, (r: LoadResult) => string]> = [
    ['throughput (req/s)', (r) => fmt(r.requestsPerSecond, 0)],
    ['responses', (r) => String(r.responses)],
    ['latency p50 (ms)', (r) => fmt(r.latencyMs.p50)],
    ['latency p90 (ms)', (r) => fmt(r.latencyMs.p90)],
    ['latency p99 (ms)', (r) => fmt(r.latencyMs.p99)],
    ['latency max (ms)', (r) => fmt(r.latencyMs.max)],
    ['non-2xx', (r) => String(r.non2xx)],
    ['non-202', (r) => String(r.unexpectedStatus)],
    ['errors (timeouts)', (r) => `${r.errors} (${r.timeouts})`],
    [
      'status codes',
      (r) =>
        Object.entries(r.statusCounts)
          .map(([s, n]) => `${s}:${n}`)
          .join(' ') || '-',
    ],
    ['server thread busy', (r) => `${fmt(r.serverBusy * 100, 0)}%`],
    ['server CPU/request (µs)', (r) => fmt(r.serverCpuUsPerRequest, 0)],
    ['load thread busy', (r) => `${fmt(r.clientBusy * 100, 0)}%`],
  ];
  const w0 = Math.max(...rows.map(([label]) => label.length));
  const cells = rows.map(([label, get]) => [label, get(f.bare), get(f.full)]);
  const w1 = Math.max(4, ...cells.map((c) => c[1].length));
  const w2 = Math.max(4, ...cells.map((c) => c[2].length));
  const line = (a: string, b: string, c: string) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(w2)}`;

  const out = [
    `Intake benchmark: POST /webhook, HMAC-signed alerts (fresh webhook-id each), ${connections} connections,`,
    `${durationSeconds} s measured after ${warmupSeconds} s warm-up, bare first then full.`,
    '',
    line('', 'bare', 'full'),
    ...cells.map(([a, b, c]) => line(a, b, c)),
    '',
    `  full / bare throughput: ${fmt(f.ratio * 100, 1)}%` +
      `  (by server CPU per request: ${fmt(f.cpuRatio * 100, 1)}%, for comparison only)`,
    `  Redis: ${f.redis.deletedKeys} keys under ${f.redis.prefix}:* deleted`,
    '',
    'Targets:',
    ...f.verdicts.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  ${v.name}: ${v.actual} (target ${v.target})`),
    '',
    f.verdicts.every((v) => v.pass)
      ? 'All targets met.'
      : 'Targets missed (benchmark only: exit code stays 0).',
  ];
  return out.join('\n');
}
