/**
 * Delay before the n-th re-try (1-based): exponential from `baseMs`, capped at `maxMs`, with jitter over
 * the upper half so that many waiters on one resource (an exchange, Redis, a receiver) do not return to
 * it at the same instant. The one backoff of the code base; cockatiel's policies use their own.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
