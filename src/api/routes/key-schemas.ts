import { z } from 'zod';
import { ROLES } from '../../keys/roles';

const timestamp = z.iso.datetime();

export const apiKeySchema = z
  .object({
    id: z.string().meta({ example: 'key_5f0c1e2d3b4a6978' }),
    name: z.string(),
    role: z.enum(ROLES),
    state: z.enum(['active', 'expired', 'revoked']),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable().meta({ description: 'Updated at most once a minute.' }),
    revokedAt: timestamp.nullable(),
    rateLimitPerMinute: z.number().int(),
    bootstrap: z.boolean().meta({ description: 'Installed from ADMIN_API_KEY.' }),
  })
  .meta({ id: 'ApiKey', description: 'A management API key. The key itself is never shown again.' });

export const createdApiKeySchema = apiKeySchema
  .extend({
    apiKey: z.string().meta({
      description: 'The key: shown in this answer only, stored nowhere (only its SHA-256). Keep it safe.',
      example: 'th_4Zq…',
    }),
  })
  .meta({ id: 'CreatedApiKey' });

/** Printable text without control characters: names are shown in tables, logs and the dashboard. */
const keyName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const createKeyBody = z
  .strictObject({
    name: keyName.meta({ description: 'What the key is for, e.g. `grafana` or `ops laptop`.' }),
    role: z.enum(ROLES),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'ISO-8601 time after which the key stops working; must lie in the future.' }),
    rateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .meta({ description: 'Requests per minute; default `API_RATE_LIMIT_PER_MINUTE`.' }),
  })
  .meta({ id: 'NewApiKey' });

export const keyIdParams = z.strictObject({ id: z.string().max(64) });
