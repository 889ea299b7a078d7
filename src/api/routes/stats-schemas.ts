import { z } from 'zod';
import {
  type ExecutionStats,
  type StatsBucketSize,
  type StatsGroupBy,
  type StatsSummary,
} from '../../stats/stats-types';

const isoTime = z.iso.datetime({ offset: true });

const windowQuery = {
  since: isoTime.optional().meta({ description: 'From this time. @defaultValue 24 hours before `until`.' }),
  until: isoTime.optional().meta({ description: 'Up to this time. @defaultValue now.' }),
};

export const summaryQuery = z.strictObject({
  ...windowQuery,
  account: z.string().min(1).max(64).optional().meta({ description: 'One account only.' }),
});

const GROUP_BY = ['symbol', 'strategy', 'account'] as const satisfies readonly StatsGroupBy[];
const BUCKETS = ['5m', '1h', '1d'] as const satisfies readonly StatsBucketSize[];

export const executionQuery = z.strictObject({
  ...windowQuery,
  groupBy: z.enum(GROUP_BY).default('symbol'),
  bucket: z.enum(BUCKETS).default('1h').meta({
    description: 'Bucket size (UTC). Longest window: 24 h for `5m`, 31 days for `1h`, 366 days for `1d`.',
  }),
});

const distribution = z
  .object({ count: z.number().int(), p50: z.number().nullable(), p99: z.number().nullable() })
  .meta({ id: 'StatsDistribution' });

const amounts = z.record(z.string(), z.number());

const figures = z.object({
  counts: z.record(z.string(), z.number().int()).meta({
    description: 'Signals by status now (`placed`: still resting).',
    example: { filled: 12, rejected: 1 },
  }),
  total: z.number().int(),
  alertToSentMs: distribution.meta({
    description: 'Alert (its `timestamp`, else receipt) → first order sent.',
  }),
  alertToFilledMs: distribution.meta({ description: 'Alert → its last order filled; filled signals only.' }),
  slippageBps: distribution.meta({
    description: 'Fill-weighted slippage per signal against the alert’s `price`; positive is worse.',
  }),
  fills: z.number().int().meta({ description: 'Orders that filled, wholly or partly.' }),
  fees: amounts.meta({ description: 'By currency.', example: { USDT: 0.42 } }),
  volume: amounts.meta({ description: 'Filled cost by quote currency.', example: { USDT: 4200 } }),
});

const resolution = z
  .number()
  .meta({ description: 'Percentiles are within this fraction of the exact ones.' });

export const summarySchema = figures
  .extend({
    since: z.iso.datetime().meta({ description: 'The window covered: whole minutes (hours beyond 48 h).' }),
    until: z.iso.datetime(),
    account: z.string().nullable(),
    resolution,
  })
  .meta({ id: 'StatsSummary' });

export const executionSchema = z
  .object({
    groupBy: z.enum(GROUP_BY),
    bucket: z.enum(BUCKETS),
    since: z.iso.datetime(),
    until: z.iso.datetime(),
    resolution,
    groups: z.array(
      z.object({
        group: z.string(),
        totals: figures,
        buckets: z.array(figures.extend({ start: z.iso.datetime() })).meta({
          description: 'Buckets with signals of the group, oldest first; empty ones are left out.',
        }),
      }),
    ),
  })
  .meta({ id: 'ExecutionStats' });

// The dashboard reads these answers through the shared types: the schemas must produce exactly them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const summaryMatches: Same<z.output<typeof summarySchema>, StatsSummary> = true;
const executionMatches: Same<z.output<typeof executionSchema>, ExecutionStats> = true;
void summaryMatches;
void executionMatches;
