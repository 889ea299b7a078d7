/**
 * Svix's retry schedule: the delay before each attempt — immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h (eight attempts over about 28 hours), each delay ±20 % jitter. After the last one fails the delivery
 * is dead-lettered.
 */
export const RETRY_SCHEDULE_MS = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** Statuses whose `Retry-After` is honoured (clamped to the schedule's shortest and longest delay). */
const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);

export interface NextAttemptInput {
  /** Attempts made so far by the schedule, the one that just failed included (1 after the first). */
  attemptsMade: number;
  /** The failed attempt's status (null for a network error or a timeout). */
  statusCode: number | null;
  /** The answer's `Retry-After`, as sent (seconds or an HTTP date). */
  retryAfter?: string;
  /** Epoch ms, for an HTTP-date `Retry-After`. */
  now: number;
  /** @defaultValue RETRY_SCHEDULE_MS */
  schedule?: readonly number[];
  /** A number in [0, 1): the jitter. @defaultValue Math.random */
  random?: () => number;
}

/** The delay before the next attempt in ms, or null when the schedule is exhausted (dead letter). */
export function nextAttemptDelay(input: NextAttemptInput): number | null {
  const schedule = input.schedule ?? RETRY_SCHEDULE_MS;
  if (input.attemptsMade >= schedule.length) return null;
  const positive = schedule.filter((d) => d > 0);
  const [shortest, longest] = [Math.min(...positive), Math.max(...positive)];
  if (input.statusCode !== null && RETRY_AFTER_STATUSES.has(input.statusCode) && input.retryAfter) {
    const asked = retryAfterMs(input.retryAfter, input.now);
    if (asked !== undefined) return Math.min(longest, Math.max(shortest, asked));
  }
  const base = schedule[input.attemptsMade];
  const jitter = 1 + ((input.random ?? Math.random)() * 2 - 1) * 0.2;
  return Math.round(base * jitter);
}

/** A `Retry-After` value in ms: delta-seconds or an HTTP date; undefined when it is neither. */
export function retryAfterMs(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
