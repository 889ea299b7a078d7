import { createHmac, sign as edSign, timingSafeEqual, verify as edVerify } from 'node:crypto';
import { ed25519PrivateKey, ed25519PublicKey, hmacKeyBytes } from './secret-material';

/** The content every Standard Webhooks signature covers: `{id}.{timestamp}.{body}`. */
function signedContent(id: string, timestamp: number, body: string): Buffer {
  return Buffer.from(`${id}.${timestamp}.${body}`, 'utf8');
}

/**
 * The `webhook-signature` header for `body`: one `v1,<base64 HMAC-SHA256>` per `whsec_` secret and one
 * `v1a,<base64 ed25519>` per `whsk_` secret, space-separated (during a rotation window both keys sign).
 */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  const content = signedContent(id, timestamp, body);
  return secrets
    .map((secret) =>
      secret.startsWith('whsk_')
        ? `v1a,${edSign(null, content, ed25519PrivateKey(secret)).toString('base64')}`
        : `v1,${createHmac('sha256', hmacKeyBytes(secret)).update(content).digest('base64')}`,
    )
    .join(' ');
}

export interface VerifyNotificationInput {
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  /** The request headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`; any case). */
  headers: Record<string, string | string[] | undefined>;
  /** The subscription's `whsec_…` secret or, for ed25519 subscriptions, its `whpk_…` public key. */
  secret: string;
  /** Accepted distance of `webhook-timestamp` from now, in seconds. @defaultValue 300 */
  toleranceSeconds?: number;
  /** Epoch ms. @defaultValue Date.now() */
  now?: number;
}

/**
 * Verifies a tradehook notification the way the Standard Webhooks libraries do: the timestamp within the
 * tolerance (replays of old deliveries fail) and one of the signatures matching (constant-time compare).
 * Returns the parsed payload, or throws an `Error` saying why not. Dedupe by `webhook-id`: a retried
 * delivery carries the same id.
 *
 * @example
 * const event = verifyNotification({ body: rawBody, headers: req.headers, secret: process.env.TRADEHOOK_SECRET });
 */
export function verifyNotification(input: VerifyNotificationInput): {
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
} {
  const header = (name: string) => {
    const entry = Object.entries(input.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(entry) ? entry[0] : entry;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new Error('missing webhook-id, webhook-timestamp or webhook-signature');
  const seconds = Number(timestamp);
  const now = (input.now ?? Date.now()) / 1000;
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > (input.toleranceSeconds ?? 300))
    throw new Error('webhook-timestamp is missing or too far from now');
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const content = signedContent(id, seconds, body);
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (!value) return false;
    const given = Buffer.from(value, 'base64');
    if (version === 'v1' && input.secret.startsWith('whsec_')) {
      const expected = createHmac('sha256', hmacKeyBytes(input.secret)).update(content).digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    if (version === 'v1a' && input.secret.startsWith('whpk_'))
      return edVerify(null, content, ed25519PublicKey(input.secret), given);
    return false;
  });
  if (!matches) throw new Error('no signature matches');
  return JSON.parse(body) as { id: string; type: string; timestamp: string; data: unknown };
}
