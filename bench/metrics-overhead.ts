/**
 * `npm run bench:metrics`: what `/metrics` costs the intake. The real web process (startWeb) with metrics on
 * (alert counter, process metrics) and off, in the same run, on the same HMAC-signed request stream as the
 * intake benchmark, in alternating rounds (off, on, off, on…) so that drift on a shared machine hits both.
 * Target: throughput with metrics ≥ 95 % of without. BENCH_DURATION / BENCH_CONNECTIONS / BENCH_WARMUP as
 * for `npm run bench`; BENCH_ROUNDS (default 2) rounds of each. `--json` prints the figures as JSON.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/config';
import { secretsOf } from '../src/main/bootstrap';
import { startWeb } from '../src/main/web-process';
import { createLogger } from '../src/observability/logger';
import { randomWebhookSecret } from './alert-stream';
import { runLoad } from './load';
import { type LoadResult } from './load-result';
import { loadOptionsFromEnv } from './options';
import { deletePrefix } from './redis-prefix';

const TARGET_RATIO = 0.95;

async function measure(options: { redisUrl: string; secret: string; metrics: boolean }): Promise<LoadResult> {
  const prefix = `bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    WEBHOOK_SECRETS: options.secret,
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const logger = createLogger({
    level: config.logLevel,
    json: true,
    secrets: secretsOf(config),
    stream: new Writable({ decodeStrings: false, write: (_chunk, _encoding, done) => done() }),
  });
  const web = await startWeb(config, logger, { management: { metrics: options.metrics } });
  try {
    return await runLoad(
      { url: `http://127.0.0.1:${web.port}`, path: '/webhook', expectedStatus: 202 },
      options.secret,
      loadOptionsFromEnv(),
    );
  } finally {
    await web.close(2000);
    await deletePrefix(config.redis.url, prefix);
  }
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const secret = randomWebhookSecret();
  const runs: { off: LoadResult[]; on: LoadResult[] } = { off: [], on: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const metrics of [false, true]) {
      process.stderr.write(`[bench] round ${round}/${rounds}, metrics ${metrics ? 'on' : 'off'}…\n`);
      runs[metrics ? 'on' : 'off'].push(await measure({ redisUrl, secret, metrics }));
    }
  }
  const sum = (list: LoadResult[], pick: (r: LoadResult) => number) => list.reduce((a, r) => a + pick(r), 0);
  const rps = (list: LoadResult[]) => sum(list, (r) => r.responses) / sum(list, (r) => r.durationSeconds);
  const cpu = (list: LoadResult[]) =>
    sum(list, (r) => r.serverCpuUsPerRequest * r.responses) / sum(list, (r) => r.responses);
  const figures = {
    name: 'metrics-overhead',
    rounds,
    off: { requestsPerSecond: rps(runs.off), serverCpuUsPerRequest: cpu(runs.off) },
    on: { requestsPerSecond: rps(runs.on), serverCpuUsPerRequest: cpu(runs.on) },
    ratio: rps(runs.on) / rps(runs.off),
    cpuRatio: cpu(runs.off) / cpu(runs.on),
    errors: sum([...runs.off, ...runs.on], (r) => r.errors + r.unexpectedStatus),
    target: TARGET_RATIO,
  };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const row = (label: string, f: { requestsPerSecond: number; serverCpuUsPerRequest: number }) =>
    `${label.padEnd(12)} ${f.requestsPerSecond.toFixed(0).padStart(8)} req/s ${f.serverCpuUsPerRequest.toFixed(0).padStart(6)} µs CPU/request`;
  process.stdout.write(
    [
      `Metrics overhead on POST /webhook (${rounds} alternating rounds each)`,
      row('metrics off', figures.off),
      row('metrics on', figures.on),
      `throughput on/off ${(figures.ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} %): ${figures.ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`,
      `CPU/request off/on ${(figures.cpuRatio * 100).toFixed(1)} %; errors or non-202: ${figures.errors}`,
    ].join('\n') + '\n',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
