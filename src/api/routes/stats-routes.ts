import { type z } from 'zod';
import { BUCKET_SIZES, MAX_SUMMARY_RANGE_MS, type StatsQuery } from '../../stats/stats-query';
import { ApiError } from '../api-error';
import { type ApiRoute, type Out, type ResponseSpec, defineRoute } from '../route';
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

/** What sets one statistics route apart from the other: all are viewer `GET`s under the `stats` tag. */
interface StatsRouteSpec<Q extends z.ZodObject> {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  query: Q;
  /** The 200 answer. */
  ok: ResponseSpec;
  /** The figures for the validated query, read at `now`. */
  figures(query: Out<Q>, now: number): Promise<unknown>;
}

function statsRoute<Q extends z.ZodObject>(spec: StatsRouteSpec<Q>): ApiRoute {
  const { ok, figures, ...declared } = spec;
  return defineRoute({
    ...declared,
    method: 'get',
    tags: ['stats'],
    access: 'viewer',
    responses: { 200: ok },
    async handler({ query, now }) {
      return { status: 200, body: await figures(query, now) };
    },
  });
}

/** `GET /stats/summary` and `GET /stats/execution` (viewer): execution statistics, kept as signals end. */
export function statsRoutes(options: { query: StatsQuery }): ApiRoute[] {
  const summary = statsRoute({
    path: '/stats/summary',
    operationId: 'getStatsSummary',
    summary: 'Counts by status, latency and slippage percentiles, fills, fees and volume over a window',
    description:
      'Kept as signals end (never computed from the history): signals count in the minute they were ' +
      'received. Percentiles come from histograms with 5 % wide buckets (`resolution`).',
    query: summaryQuery,
    ok: { description: 'The window’s figures.', schema: summarySchema },
    figures(query, now) {
      const range = window(query, now, MAX_SUMMARY_RANGE_MS, 'a summary');
      return options.query.summary({ ...range, account: query.account, now });
    },
  });
  const execution = statsRoute({
    path: '/stats/execution',
    operationId: 'getExecutionStats',
    summary: 'Execution quality per symbol, strategy or account and time bucket (charts)',
    description:
      'Per group and bucket: counts by status, latency alert→sent and alert→filled, slippage (bps) with ' +
      'p50/p99, fills, fees and volume. The window is widened to whole buckets.',
    query: executionQuery,
    ok: { description: 'Groups with their buckets.', schema: executionSchema },
    figures(query, now) {
      const range = window(query, now, BUCKET_SIZES[query.bucket].maxRangeMs, `bucket=${query.bucket}`);
      return options.query.execution({ ...range, groupBy: query.groupBy, bucket: query.bucket });
    },
  });
  return [summary, execution];
}
