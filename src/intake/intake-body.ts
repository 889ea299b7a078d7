import { bodyDigest, signalIdFromNonce } from '../signals/signal-id';

/* The alert's body as the intake first sees it: a JSON object, and the signal id its nonce gives. */

/** The body as a JSON object, or a message saying why it is not one. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | string {
  const text = raw.toString('utf8').trim();
  if (text === '') return 'the alert message is empty: it must be a JSON object';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return (
      'the alert message must be valid JSON (TradingView sends text/plain exactly when it is not): ' +
      'check quotes, commas, and that placeholders inside strings are quoted, e.g. "{{close}}"'
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'the alert message must be a JSON object, e.g. {"symbol": "BTCUSDT", "action": "buy", ...}';
  }
  return value as Record<string, unknown>;
}

/**
 * The signal id of an alert: from its nonce — HMAC mode's `webhook-id`, else the alert's `id`, else a digest
 * of its bytes. Stable across resends; the dry run names its would-be signal with it too.
 */
export function signalIdOf(input: {
  body: Record<string, unknown>;
  rawBody: Buffer;
  /** HMAC mode's `webhook-id`. */
  replayId?: string;
}): string {
  const { body } = input;
  const nonce =
    input.replayId !== undefined
      ? `hmac:${input.replayId}`
      : (typeof body.id === 'string' && body.id !== '') || typeof body.id === 'number'
        ? `id:${body.id}`
        : // Any other `id` is refused by validation; it must not be turned into text here (an object's
          // conversion can throw, and every object would read "[object Object]": one nonce for all).
          `body:${bodyDigest(input.rawBody)}`;
  return signalIdFromNonce(nonce);
}
