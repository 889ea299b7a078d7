import { startBareExpress } from './bare-express';
import { randomWebhookSecret } from './alert-stream';
import { startFullIntake } from './full-intake';
import { type RunningServer } from './http-server';
import { runLoad } from './load';
import { type LoadResult } from './load-result';
import { type LoadOptions } from './options';
import { type Verdict, judgeIntake } from './targets';

export interface IntakeBenchOptions {
  load: LoadOptions;
  redisUrl: string;
  /** Extra environment for the full intake (attribution runs, e.g. `{ LOG_LEVEL: 'warn' }`). */
  fullEnv?: Record<string, string>;
  /** Progress lines (to stderr in the CLI, so `--json` output stays clean). */
  progress?: (line: string) => void;
}

export interface IntakeBenchFigures {
  name: 'intake';
  load: LoadOptions;
  /** Always bare first, then full: the order is fixed so that runs compare. */
  order: ['bare', 'full'];
  bare: LoadResult;
  full: LoadResult;
  /** full / bare throughput. */
  ratio: number;
  /**
   * bare / full server-thread CPU per request: what the throughput ratio would be if only the server's own
   * CPU limited it. Less sensitive than `ratio` to other processes on the machine; not a target.
   */
  cpuRatio: number;
  verdicts: Verdict[];
  redis: { prefix: string; deletedKeys: number };
}

const PATH = '/webhook';
const EXPECTED_STATUS = 202;

/**
 * POST /webhook with HMAC-signed alerts (a fresh webhook-id each) against a bare Express 5 app, then
 * against the real web process (startWeb), with the identical request stream and load.
 */
export async function runIntakeBench(options: IntakeBenchOptions): Promise<IntakeBenchFigures> {
  const progress = options.progress ?? (() => undefined);
  const secret = randomWebhookSecret();
  const measure = async (label: string, server: RunningServer): Promise<LoadResult> => {
    const { warmupSeconds, durationSeconds, connections } = options.load;
    progress(`${label}: ${warmupSeconds} s warm-up + ${durationSeconds} s at ${connections} connections…`);
    try {
      return await runLoad(
        { url: server.url, path: PATH, expectedStatus: EXPECTED_STATUS },
        secret,
        options.load,
      );
    } finally {
      await server.close();
    }
  };

  const bare = await measure('bare express', await startBareExpress(PATH));
  const intake = await startFullIntake({ redisUrl: options.redisUrl, secret, env: options.fullEnv });
  const full = await measure(`full intake (prefix ${intake.prefix})`, intake);

  const { ratio, verdicts } = judgeIntake(bare, full);
  return {
    name: 'intake',
    load: options.load,
    order: ['bare', 'full'],
    bare,
    full,
    ratio,
    cpuRatio: bare.serverCpuUsPerRequest / full.serverCpuUsPerRequest,
    verdicts,
    redis: { prefix: intake.prefix, deletedKeys: intake.deletedKeys() },
  };
}
