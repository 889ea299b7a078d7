import { hash } from 'node:crypto';

/**
 * Derives the signal id from the alert's nonce: stable across resends of the same alert, a valid BullMQ
 * job id (no `:`), and short enough that `th<24 hex><leg>` client order ids fit every exchange's
 * 32-character `[A-Za-z0-9]` rule.
 */
export function signalIdFromNonce(nonce: string): string {
  return `sig_${hash('sha256', nonce, 'hex').slice(0, 24)}`;
}

/** SHA-256 hex of the raw body: the nonce of last resort when neither `webhook-id` nor `id` is given. */
export function bodyDigest(raw: Buffer): string {
  return hash('sha256', raw, 'hex');
}
