import { randomBytes } from 'node:crypto';

/**
 * The value a nonce claim stores: the claim time (ms) and a mark of the claiming request
 * (`<ms>:<process>.<n>`). The time tells a stale claim from a live one; the mark lets a claim recognise
 * itself: ioredis resends a command that was in flight when its connection dropped, and Redis may have
 * executed the first send — the resend must find its own claim, not "seen before" (which would answer a
 * 200 duplicate for an alert nothing queued). Values written as a bare time (before the mark) still parse.
 */
const PROCESS_MARK = randomBytes(6).toString('base64url');
let sequence = 0;

export function claimValue(now: number): string {
  sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER;
  return `${now}:${PROCESS_MARK}.${sequence}`;
}

/** The claim time of a stored claim value (ms; NaN when unreadable, which no age check passes). */
export function claimedAtOf(value: string | null): number {
  return value === null ? Number.NaN : Number.parseInt(value, 10);
}
