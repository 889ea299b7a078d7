import { randomUUID } from 'node:crypto';
import { secretKey, sign } from '../../src/intake/hmac';

/** The secrets test apps are configured with (see test-app.ts). */
export const TEST_SECRET = 'whsec_dGVzdC1zZWNyZXQtMTIzNDU2Nzg5MA==';
export const TEST_SECRET_ROTATED = 'plain-secret-rotated';

/** Standard Webhooks headers for `body`, signed with `secret`. */
export function signedHeaders(
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': sign(secretKey(options.secret ?? TEST_SECRET), id, timestamp, body),
  };
}
