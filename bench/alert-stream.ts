import { randomBytes } from 'node:crypto';
import { secretKey, sign } from '../src/intake/hmac';

/** The alert every request carries; only the Standard Webhooks headers change from one request to the next. */
export const ALERT_BODY = JSON.stringify({
  symbol: 'BTCUSDT',
  action: 'buy',
  quantity: '0.01',
  price: '65000',
});

/** A fresh `whsec_` secret (32 random key bytes), as WEBHOOK_SECRETS takes it. */
export function randomWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedAlert {
  headers: Record<string, string>;
  body: string;
}

/**
 * The request stream shared by every target: each call returns the alert with a never-seen `webhook-id`
 * (`tag` keeps ids of different runs apart), the current unix-second timestamp and its HMAC signature.
 */
export function signedAlertStream(secret: string, tag: string): () => SignedAlert {
  const key = secretKey(secret);
  let n = 0;
  return () => {
    const id = `msg_${tag}_${++n}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      body: ALERT_BODY,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': sign(key, id, timestamp, ALERT_BODY),
      },
    };
  };
}
