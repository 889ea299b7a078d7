import { BUCKET_SIZES, MAX_SUMMARY_RANGE_MS, type StatsQuery } from '../../stats/stats-query';
import { ApiError } from '../api-error';
import { type ApiRoute, defineRoute } from '../route';
import { executionQuery, executionSchema, summaryQuery, summarySchema } from './stats-schemas';

const DAY_MS = 86_400_000;

/** The window asked for, defaulting to the 24 h before `until` (now); 400 naming the problem if unusable. */
function window(query: { since?: string; until?: string }, now: number, maxMs: number, what: string) {
  const until = query.until === undefined ? now : Date.parse(query.until);
  const since = query.since === undefined ? until - Math.min(DAY_MS, maxMs) : Date.parse(query.since);
  if (since > until) {
    throw new ApiError('invalid_request', 'since is after until', {
      issues: [{ path: 'query.since', message: 'must not be after until' }],
    });
  }
  if (until - since > maxMs) {
    const days = maxMs / DAY_MS;
    const limit = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${maxMs / 3_600_000} hours`;
    throw new ApiError('invalid_request', `the window is too long for ${what}`, {
      issues: [{ path: 'query.since', message: `the window may span at most ${limit} for ${what}` }],
    });
  }
  return { since, until };
}

/** `GET /stats/summary` and `GET /stats/execution` (viewer): execution statistics, kept as signals end. */
export function statsRoutes(options: { query: StatsQuery }): ApiRoute[] {
  const summary = defineRoute({
    method: 'get',
    path: '/stats/summary',
    operationId: 'getStatsSummary',
    summary: 'Counts by status, latency and slippage percentiles, fills, fees and volume over a window',
    description:
      'Kept as signals end (never computed from the history): signals count in the minute they were ' +
      'received. Percentiles come from histograms with 5 % wide buckets (`resolution`).',
    tags: ['stats'],
    access: 'viewer',
    query: summaryQuery,
    responses: { 200: { description: 'The window’s figures.', schema: summarySchema } },
    async handler({ query, now }) {
      const range = window(query, now, MAX_SUMMARY_RANGE_MS, 'a summary');
      const body = await options.query.summary({ ...range, account: query.account, now });
      return { status: 200, body };
    },
  });
  const execution = defineRoute({
    method: 'get',
    path: '/stats/execution',
    operationId: 'getExecutionStats',
    summary: 'Execution quality per symbol, strategy or account and time bucket (charts)',
    description:
      'Per group and bucket: counts by status, latency alert→sent and alert→filled, slippage (bps) with ' +
      'p50/p99, fills, fees and volume. The window is widened to whole buckets.',
    tags: ['stats'],
    access: 'viewer',
    query: executionQuery,
    responses: { 200: { description: 'Groups with their buckets.', schema: executionSchema } },
    async handler({ query, now }) {
      const range = window(query, now, BUCKET_SIZES[query.bucket].maxRangeMs, `bucket=${query.bucket}`);
      const body = await options.query.execution({ ...range, groupBy: query.groupBy, bucket: query.bucket });
      return { status: 200, body };
    },
  });
  return [summary, execution];
}
