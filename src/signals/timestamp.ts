/**
 * Parses an alert timestamp: ISO-8601 (`{{timenow}}` is `2024-05-01T12:00:00Z`), or unix seconds or
 * milliseconds as a number or numeric string. Returns epoch milliseconds, or `undefined` when the value
 * is not a timestamp.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return fromUnix(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromUnix(Number(text));
  // Require a full date and time with a zone, so that "2024" or "May 1" are not silently accepted.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Values above 1e11 are milliseconds (1e11 seconds is the year 5138; 1e11 ms is 1973). */
function fromUnix(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return Math.round(value > 1e11 ? value : value * 1000);
}

/** Why a timestamp is not acceptable, or `undefined` when it lies within `toleranceSeconds` of `nowMs`. */
export function freshnessProblem(
  timestampMs: number,
  nowMs: number,
  toleranceSeconds: number,
): string | undefined {
  const skew = timestampMs - nowMs;
  if (skew > toleranceSeconds * 1000) return 'timestamp_in_future';
  if (-skew > toleranceSeconds * 1000) return 'timestamp_stale';
  return undefined;
}
