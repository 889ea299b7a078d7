import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { FigureSum } from './figures';
import { HISTOGRAM_RESOLUTION } from './histogram';
import {
  DAY_MS,
  type Dimension,
  GRANULARITIES,
  type Granularity,
  HOUR_MS,
  MINUTE_MS,
  MINUTE_RETENTION_MS,
  bucketKey,
  parseField,
} from './stats-dimensions';
import {
  type ExecutionGroup,
  type ExecutionStats,
  type StatsBucketSize,
  type StatsGroupBy,
  type StatsSummary,
} from './stats-types';

/** Bucket sizes of the execution series, and the longest window each may span (bounded work). */
export const BUCKET_SIZES: Record<StatsBucketSize, { ms: number; maxRangeMs: number }> = {
  '5m': { ms: 5 * MINUTE_MS, maxRangeMs: DAY_MS },
  '1h': { ms: HOUR_MS, maxRangeMs: 31 * DAY_MS },
  '1d': { ms: DAY_MS, maxRangeMs: 366 * DAY_MS },
};
/** The longest window of a summary. */
export const MAX_SUMMARY_RANGE_MS = 366 * DAY_MS;

/** A stored bucket. */
interface Slot {
  granularity: Granularity;
  start: number;
}

/**
 * The fewest stored buckets that tile [from, to) exactly (both whole minutes): days where a whole UTC day
 * fits, hours where a whole hour does, minutes at the edges. At most ~170 buckets plus one per day.
 */
export function cover(from: number, to: number): Slot[] {
  const slots: Slot[] = [];
  let t = from;
  while (t < to) {
    const g = GRANULARITIES.find((x) => t % x.ms === 0 && t + x.ms <= to) ?? GRANULARITIES[2];
    slots.push({ granularity: g.name, start: t });
    t += g.ms;
  }
  return slots;
}

/** A window in whole minutes, or whole hours where minute buckets are no longer kept. */
export function alignWindow(since: number, until: number, now: number): { from: number; to: number } {
  const minutesKept = since >= now - MINUTE_RETENTION_MS + HOUR_MS;
  const unit = minutesKept ? MINUTE_MS : HOUR_MS;
  return { from: Math.floor(since / unit) * unit, to: Math.ceil(until / unit) * unit };
}

/** Reads the statistics the recorder keeps (stats-recorder.ts): one pipelined round trip per answer. */
export class StatsQuery {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Figures of the window, for every account or one. */
  async summary(input: {
    since: number;
    until: number;
    account?: string;
    now: number;
  }): Promise<StatsSummary> {
    const { from, to } = alignWindow(input.since, input.until, input.now);
    const dimension: Dimension = input.account === undefined ? 'all' : 'account';
    const group = input.account ?? '';
    const [sums] = await this.read([cover(from, to)], dimension);
    const sum = sums.get(group) ?? new FigureSum();
    return {
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
      account: input.account ?? null,
      resolution: round(HISTOGRAM_RESOLUTION),
      ...sum.figures(),
    };
  }

  /** Figures per group and time bucket. The window is aligned to whole buckets (UTC). */
  async execution(input: {
    groupBy: StatsGroupBy;
    bucket: StatsBucketSize;
    since: number;
    until: number;
  }): Promise<ExecutionStats> {
    const size = BUCKET_SIZES[input.bucket].ms;
    const from = Math.floor(input.since / size) * size;
    const to = Math.ceil(input.until / size) * size;
    const starts: number[] = [];
    for (let t = from; t < to; t += size) starts.push(t);
    const perBucket = await this.read(
      starts.map((t) => cover(t, t + size)),
      input.groupBy,
    );
    const groups = new Map<string, { totals: FigureSum; buckets: ExecutionGroup['buckets'] }>();
    perBucket.forEach((sums, i) => {
      for (const [name, sum] of sums) {
        if (sum.empty) continue;
        const g = groups.get(name) ?? { totals: new FigureSum(), buckets: [] };
        groups.set(name, g);
        g.buckets.push({ start: new Date(starts[i]).toISOString(), ...sum.figures() });
        g.totals.merge(sum); // histograms add up: the totals' percentiles are exact to the resolution too
      }
    });
    return {
      groupBy: input.groupBy,
      bucket: input.bucket,
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
      resolution: round(HISTOGRAM_RESOLUTION),
      groups: [...groups]
        .map(([group, g]) => ({ group, totals: g.totals.figures(), buckets: g.buckets }))
        .sort((a, b) => b.totals.total - a.totals.total || a.group.localeCompare(b.group)),
    };
  }

  /** For each list of slots, the sums per group of `dimension` over those slots: one pipeline. */
  private async read(slotLists: Slot[][], dimension: Dimension): Promise<Array<Map<string, FigureSum>>> {
    const pipeline = this.redis.pipeline();
    for (const slots of slotLists) {
      for (const s of slots) pipeline.hgetall(bucketKey(this.keys.stats, s.granularity, s.start, dimension));
    }
    const results = (await pipeline.exec()) ?? [];
    let i = 0;
    return slotLists.map((slots) => {
      const sums = new Map<string, FigureSum>();
      for (let n = 0; n < slots.length; n++, i++) {
        const [error, hash] = results[i] ?? [];
        if (error) throw error;
        for (const [field, value] of Object.entries((hash ?? {}) as Record<string, string>)) {
          const parsed = parseField(field);
          if (!parsed) continue;
          const sum = sums.get(parsed.group) ?? new FigureSum();
          sums.set(parsed.group, sum);
          sum.add(parsed.measure, value);
        }
      }
      return sums;
    });
  }
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
