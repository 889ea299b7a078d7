import { type LoadResult } from './load-result';

/** One target of the issue, judged. */
export interface Verdict {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

/** Issue 7's steady-intake targets (they replaced the first intake issue's 55 % and 50 ms). */
export const TARGETS = {
  /** Full intake throughput as a share of bare Express throughput. */
  minThroughputRatio: 0.65,
  /** Full intake p99 latency, inclusive bound. */
  maxP99Ms: 25,
} as const;

/** Connection errors (timeouts included) plus answers other than the expected status. */
export function failures(r: LoadResult): number {
  return r.errors + r.unexpectedStatus;
}

export function judgeIntake(bare: LoadResult, full: LoadResult): { ratio: number; verdicts: Verdict[] } {
  const ratio = bare.requestsPerSecond > 0 ? full.requestsPerSecond / bare.requestsPerSecond : 0;
  const errors = failures(full) + failures(bare);
  return {
    ratio,
    verdicts: [
      {
        name: 'throughput',
        target: `full >= ${Math.round(TARGETS.minThroughputRatio * 100)}% of bare`,
        actual: `${(ratio * 100).toFixed(1)}%`,
        pass: ratio >= TARGETS.minThroughputRatio,
      },
      {
        name: 'p99 latency',
        target: `full p99 <= ${TARGETS.maxP99Ms} ms`,
        actual: `${full.latencyMs.p99.toFixed(2)} ms`,
        pass: full.latencyMs.p99 <= TARGETS.maxP99Ms,
      },
      {
        name: 'errors',
        target: '0 errors / non-202 (both runs)',
        actual: `${errors} (full ${failures(full)}, bare ${failures(bare)})`,
        pass: errors === 0,
      },
    ],
  };
}
