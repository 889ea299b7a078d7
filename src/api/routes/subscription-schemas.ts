import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../notify/delivery';
import { isReservedHeader } from '../../notify/delivery-request';
import { FORMATS, SUBSCRIBABLE_EVENTS, type Subscription } from '../../notify/subscription';

const timestamp = z.iso.datetime();
const eventSelector = z.enum(['*', ...SUBSCRIBABLE_EVENTS]);
const printable = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

const filterSchema = z
  .strictObject({
    accounts: z.array(z.string().min(1).max(64)).max(100).optional(),
    symbols: z.array(z.string().min(1).max(64)).max(200).optional(),
  })
  .meta({ description: 'Only events of these accounts and/or symbols; events without the field pass.' });

const headersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name'), printable(2048))
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
  .refine(
    (h) => !Object.keys(h).some(isReservedHeader),
    'must not set webhook-*, content-type, user-agent or host',
  )
  .meta({ description: 'Extra request headers, e.g. a credential of your receiver; kept with the secrets.' });

const urlField = z.string().max(2048).meta({
  description:
    'https only (http to loopback only with ALLOW_INSECURE_WEBHOOK_URLS=true), at most 2048 characters.',
  example: 'https://hooks.example.com/tradehook',
});

export const createSubscriptionBody = z
  .strictObject({
    url: urlField
      .optional()
      .meta({ description: 'Required, except for `telegram` (default https://api.telegram.org).' }),
    events: z.array(eventSelector).min(1).max(20),
    format: z
      .enum(FORMATS)
      .optional()
      .meta({ description: '`standard` (default), `discord`, `slack` or `telegram`.' }),
    secret: z
      .string()
      .max(256)
      .optional()
      .meta({ description: '`whsec_` + base64 of 24-64 bytes; generated when absent.' }),
    signing: z
      .enum(['hmac', 'ed25519'])
      .optional()
      .meta({ description: '`ed25519`: Standard Webhooks `v1a`; the answer shows the `whpk_` public key.' }),
    description: printable(256).optional(),
    headers: headersSchema.optional(),
    filter: filterSchema.optional(),
    telegram: z
      .strictObject({
        botToken: z.string().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token (123456:ABC…)'),
        chatId: z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,64})$/, 'must be a chat id or @channel'),
      })
      .optional()
      .meta({ description: 'For `telegram`: the bot token and chat id (secrets: never shown again).' }),
  })
  .meta({ id: 'NewSubscription' });

export const patchSubscriptionBody = z
  .strictObject({
    url: urlField.optional(),
    events: z.array(eventSelector).min(1).max(20).optional(),
    active: z.boolean().optional(),
    filter: filterSchema.optional(),
    description: printable(256).nullable().optional(),
    headers: headersSchema.optional(),
    rotateSecret: z.literal(true).optional().meta({
      description: 'A new secret, answered once; the old one keeps signing for 24 h (both sign meanwhile).',
    }),
  })
  .meta({ id: 'SubscriptionChange' });

export const subscriptionSchema = z
  .object({
    id: z.string().meta({ example: 'sub_5f0c1e2d3b4a6978' }),
    url: z.string(),
    events: z.array(eventSelector),
    format: z.enum(FORMATS),
    signing: z.enum(['hmac', 'ed25519']),
    secret: z.string().optional().meta({ description: 'Masked (`whsec_…abcd`), hmac only.' }),
    publicKey: z
      .string()
      .optional()
      .meta({ description: 'The `whpk_` key receivers verify with, ed25519 only.' }),
    description: z.string().nullable(),
    headerNames: z
      .array(z.string())
      .meta({ description: 'Extra headers sent (their values are never shown).' }),
    filter: filterSchema,
    active: z.boolean(),
    disabledReason: z.enum(['gone', 'failing']).nullable().meta({
      description: '`gone`: the receiver answered 410; `failing`: every attempt failed for 5 days.',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Subscription' });

export const subscriptionWithSecretSchema = subscriptionSchema
  .extend({
    secret: z
      .string()
      .optional()
      .meta({ description: 'The whole `whsec_` secret: shown in this answer only.' }),
  })
  .meta({ id: 'SubscriptionWithSecret' });

/** A subscription as answered: the secret masked (or the public key), header values never. */
export function subscriptionView(s: Subscription, shown?: { secret?: string; publicKey?: string }) {
  return {
    id: s.id,
    // Masked when it is a credential (Discord, Slack, a query or user info): the whole url is only in the
    // secret store.
    url: s.url,
    events: s.events,
    format: s.format,
    signing: s.signing,
    ...(s.signing === 'ed25519'
      ? { publicKey: shown?.publicKey ?? s.secretHint }
      : { secret: shown?.secret ?? s.secretHint }),
    description: s.description,
    headerNames: s.headerNames,
    filter: s.filter,
    active: s.active,
    disabledReason: s.disabledReason,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

export const subscriptionIdParams = z.strictObject({ id: z.string().max(64) });

export const listSubscriptionsQuery = z.strictObject({
  event: eventSelector.optional().meta({ description: 'Only subscriptions that receive this event.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const replayQuery = z.strictObject({
  since: z.iso
    .datetime({ offset: true })
    .meta({ description: 'Re-send the matching events logged since this time.' }),
});

export const attemptSchema = z.object({
  at: timestamp,
  statusCode: z.number().int().nullable(),
  durationMs: z.number(),
  response: z.string().meta({ description: "The answer's first 20 KB." }),
  error: z.string().nullable(),
  trigger: z.enum(['schedule', 'manual', 'test']),
});

export const deliveryStatus = z.enum(DELIVERY_STATUSES);
