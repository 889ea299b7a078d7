/**
 * How statistics are laid out in Redis (src/stats). Every finished signal adds to three bucket sizes (a
 * minute, an hour, a UTC day) of each of four dimensions; one hash per (size, bucket start, dimension), whose
 * fields are `<group>|<measure>` with the group value URI-encoded (the `all` dimension has one group, `''`).
 */

export const DIMENSIONS = ['all', 'account', 'symbol', 'strategy'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Bucket sizes kept, largest first. */
export const GRANULARITIES = [
  { name: 'd', ms: DAY_MS },
  { name: 'h', ms: HOUR_MS },
  { name: 'm', ms: MINUTE_MS },
] as const;
export type Granularity = (typeof GRANULARITIES)[number]['name'];

/** Minute buckets are kept this long; hours and days as long as the history (`HISTORY_RETENTION_DAYS`). */
export const MINUTE_RETENTION_MS = 2 * DAY_MS;

/** Strategy names are the trader's text: long ones are cut so that a field name stays small. */
export const MAX_GROUP_LENGTH = 64;

/** A bucket hash's key (stats-lua.ts th_stats_apply builds the same). */
export function bucketKey(
  prefix: string,
  granularity: Granularity,
  start: number,
  dimension: Dimension,
): string {
  return `${prefix}:${granularity}:${start}:${dimension}`;
}

/**
 * A field name: the group (empty for `all`) and the measure, e.g. `BTCUSDT|n:filled`. The statistics are
 * written by Lua (stats-lua.ts th_group), which builds the same names; this is their definition for readers.
 */
export function fieldName(group: string, measure: string): string {
  return `${encodeURIComponent(group.slice(0, MAX_GROUP_LENGTH))}|${measure}`;
}

export function parseField(field: string): { group: string; measure: string } | undefined {
  const bar = field.indexOf('|');
  if (bar < 0) return undefined;
  try {
    return { group: decodeURIComponent(field.slice(0, bar)), measure: field.slice(bar + 1) };
  } catch {
    return undefined; // not one of ours; skipped
  }
}
