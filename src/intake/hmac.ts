import { createHmac, timingSafeEqual } from 'node:crypto';

/** The Standard Webhooks headers (https://www.standardwebhooks.com). */
export interface SignatureHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/** Secret bytes: `whsec_<base64>` is a base64 key (as the spec says); anything else is used as UTF-8. */
export function secretKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` — also used to sign outbound deliveries. */
export function sign(key: Buffer, id: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export type HmacFailure = 'missing_headers' | 'malformed_signature' | 'malformed_timestamp' | 'bad_signature';

/**
 * Verifies a Standard Webhooks signature against every configured key. Any one of the space-separated
 * `v1,` signatures matching any key passes, so secrets rotate without downtime. Comparison is constant
 * time on the raw HMAC bytes. Returns `undefined` on success, else why it failed (for logs and metrics
 * only; the HTTP answer stays generic).
 */
export function verifySignature(
  keys: Buffer[],
  headers: SignatureHeaders,
  rawBody: Buffer,
): HmacFailure | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed_timestamp';
  const candidates: Buffer[] = [];
  for (const part of signature.trim().split(/\s+/)) {
    const comma = part.indexOf(',');
    if (comma < 0) continue;
    // Other versions (e.g. v1a, asymmetric) are ignored, as the spec says, not treated as an error.
    if (part.slice(0, comma) !== 'v1') continue;
    const b64 = part.slice(comma + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    candidates.push(Buffer.from(b64, 'base64'));
  }
  if (candidates.length === 0) return 'malformed_signature';
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return undefined;
    }
  }
  return 'bad_signature';
}
