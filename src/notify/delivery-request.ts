import { type TradehookEvent } from '../events/event-types';
import { messageText } from './message-text';
import { type SecretMaterial } from './secret-material';
import { signatureHeader } from './signing';
import { type Subscription } from './subscription';

/** The HTTP request of one attempt: where, which headers, which body. */
export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Headers a subscription may not set: the signature and framing are tradehook's. */
const RESERVED_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-type',
  'content-length',
  'user-agent',
  'host',
  'transfer-encoding',
  'connection',
]);

export function isReservedHeader(name: string): boolean {
  return RESERVED_HEADERS.has(name.toLowerCase());
}

/** The body in the subscription's format. `standard` is the event itself: `{ id, type, timestamp, data }`. */
export function formatBody(
  subscription: Subscription,
  event: TradehookEvent,
  material: SecretMaterial,
): string {
  switch (subscription.format) {
    case 'standard':
      return JSON.stringify({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
    case 'discord':
      // Discord's limit is 2000 characters per message.
      return JSON.stringify({
        username: 'tradehook',
        content: messageText(event).slice(0, 2000),
        allowed_mentions: { parse: [] },
      });
    case 'slack':
      return JSON.stringify({ text: messageText(event) });
    case 'telegram':
      return JSON.stringify({ chat_id: material.telegram?.chatId, text: messageText(event).slice(0, 4096) });
  }
}

/**
 * Where a delivery goes, built at sending time from the secret store so that no stored record holds a
 * credential: a Discord or Slack url (the token is its path) is kept there whole, by the hash the record
 * names; Telegram's bot token is part of the path (`<url>/bot<token>/sendMessage`, url defaulting to
 * https://api.telegram.org); any other url is the record's own.
 */
export function targetUrl(subscription: Subscription, material: SecretMaterial): string {
  if (subscription.format === 'telegram')
    return `${subscription.url.replace(/\/+$/, '')}/bot${material.telegram?.botToken ?? ''}/sendMessage`;
  if (!subscription.urlSecret) return subscription.url;
  const url = material.urls?.[subscription.urlHash];
  if (url === undefined) throw new Error("the subscription's url is not in the secret store");
  return url;
}

/** Builds and signs the request of one attempt (Standard Webhooks headers whatever the format). */
export function buildDeliveryRequest(input: {
  subscription: Subscription;
  event: TradehookEvent;
  material: SecretMaterial;
  userAgent: string;
  now: number;
}): DeliveryRequest {
  const { subscription, event, material } = input;
  const body = formatBody(subscription, event, material);
  const timestamp = Math.floor(input.now / 1000);
  return {
    url: targetUrl(subscription, material),
    body,
    headers: {
      ...material.headers,
      'content-type': 'application/json',
      'user-agent': input.userAgent,
      'webhook-id': event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(
        material.keys.map((k) => k.secret),
        event.id,
        timestamp,
        body,
      ),
    },
  };
}
