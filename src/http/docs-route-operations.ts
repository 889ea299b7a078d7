import { z } from 'zod';
import { type ZodOpenApiResponseObject } from 'zod-openapi';
import { type DocumentedOperation } from '../api/registry';
import { rawAlertSchema } from '../signals/alert-schema';

/**
 * The operations `/openapi.json` describes beside the management API: the webhook (both authentication
 * modes), health and readiness, and the reference itself. Every body is a zod schema, rendered by
 * zod-openapi like the API's own; the webhook's request body is the very schema that validates alerts.
 */

const acceptedSchema = z
  .object({ id: z.string().meta({ example: 'sig_3f1c0a9e2b7d4c6f8a1e5b3d' }), status: z.literal('queued') })
  .meta({ id: 'AlertQueued', description: 'The alert is queued durably; `id` is its signal id.' });

const duplicateSchema = z.object({ id: z.string(), status: z.literal('duplicate') }).meta({
  id: 'AlertDuplicate',
  description: 'Seen before (same `webhook-id`, `id` or body): nothing queued.',
});

const webhookErrorSchema = z
  .object({
    error: z.enum([
      'invalid_json',
      'invalid_signal',
      'unauthorized',
      'forbidden',
      'payload_too_large',
      'unsupported_media_type',
      'rate_limited',
      'unavailable',
    ]),
    message: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({
    id: 'WebhookError',
    description: 'A refused alert. `invalid_signal` lists every field problem in `issues`.',
  });

const alertBodySchema = rawAlertSchema.meta({
  id: 'Alert',
  description:
    'The alert, schema v1 (docs/alerts.md). Numbers may be strings (`"{{close}}"`); unknown top-level fields are refused by name.',
});

const refused = (description: string, headers?: ZodOpenApiResponseObject['headers']) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: webhookErrorSchema } },
});

const webhookResponses = {
  '202': { description: 'Queued.', content: { 'application/json': { schema: acceptedSchema } } },
  '200': {
    description: 'A duplicate of an accepted alert; nothing queued.',
    content: { 'application/json': { schema: duplicateSchema } },
  },
  '400': refused('`invalid_json` (not a JSON object) or `invalid_signal` (with `issues`).'),
  '401': refused(
    'Bad token or signature, or a timestamp outside `SIGNAL_TOLERANCE_SECONDS`. The reason is logged only.',
  ),
  '403': refused('The client IP is not in `IP_ALLOWLIST`.'),
  '413': refused('The body is larger than `BODY_LIMIT`.'),
  '415': refused('Neither `application/json` nor `text/plain`.'),
  '429': refused('Over `RATE_LIMIT_PER_MINUTE` for this IP.', {
    'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
  }),
  '503': refused('Redis cannot take the alert now; send it again (it will not be called a duplicate).'),
} as const;

const webhookBody = {
  required: true,
  description:
    'TradingView sends `application/json` when the message is valid JSON and `text/plain` otherwise; both are read as JSON.',
  content: {
    'application/json': { schema: alertBodySchema },
    'text/plain': { schema: alertBodySchema },
  },
};

const hmacHeaders = z.object({
  'webhook-id': z.string().optional().meta({ description: 'HMAC mode: the replay nonce.' }),
  'webhook-timestamp': z.string().optional().meta({ description: 'HMAC mode: unix seconds.' }),
  'webhook-signature': z
    .string()
    .optional()
    .meta({ description: 'HMAC mode: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.' }),
});

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'degraded', 'unavailable']),
    checks: z.array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        critical: z.boolean().meta({ description: 'A failed critical check means alerts cannot be queued.' }),
        detail: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Readiness' });

/** `POST /webhook` and `POST /webhook/{token}`. */
export const WEBHOOK_OPERATIONS: DocumentedOperation[] = [
  {
    method: 'post',
    path: '/webhook',
    operation: {
      operationId: 'sendAlert',
      summary: 'Send an alert (HMAC-signed, or with `token` in the body)',
      description:
        'A request carrying `webhook-signature` is judged by HMAC only (Standard Webhooks); otherwise the body must carry `token` (alias `passphrase`) and `timestamp`.',
      tags: ['webhook'],
      security: [{ webhookHmac: [] }, { webhookToken: [] }],
      requestParams: { header: hmacHeaders },
      requestBody: webhookBody,
      responses: webhookResponses,
    },
  },
  {
    method: 'post',
    path: '/webhook/{token}',
    operation: {
      operationId: 'sendAlertWithPathToken',
      summary: 'Send an alert with the token in the URL (for senders that can only set a URL)',
      tags: ['webhook'],
      security: [{ webhookToken: [] }],
      requestParams: {
        path: z.object({ token: z.string().meta({ description: 'One of `WEBHOOK_TOKENS`.' }) }),
      },
      requestBody: webhookBody,
      responses: webhookResponses,
    },
  },
];

/** `GET /health`, `GET /ready`. */
export const HEALTH_OPERATIONS: DocumentedOperation[] = [
  {
    method: 'get',
    path: '/health',
    operation: {
      operationId: 'getHealth',
      summary: 'Liveness: the process runs',
      tags: ['operations'],
      security: [],
      responses: {
        '200': {
          description: 'Alive.',
          content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/ready',
    operation: {
      operationId: 'getReadiness',
      summary: 'Readiness: can alerts be queued, and does anything need attention',
      tags: ['operations'],
      security: [],
      responses: {
        '200': {
          description: '`ready`, or `degraded` with the failed non-critical checks.',
          content: { 'application/json': { schema: readinessSchema } },
        },
        '503': {
          description: 'Alerts cannot be queued (Redis does not answer).',
          content: { 'application/json': { schema: readinessSchema } },
        },
      },
    },
  },
];

/** `GET /openapi.json`, `GET /docs`. */
export const REFERENCE_OPERATIONS: DocumentedOperation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operation: {
      operationId: 'getOpenApi',
      summary: 'This document',
      tags: ['operations'],
      security: [],
      responses: {
        '200': {
          description: 'OpenAPI 3.1.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/docs',
    operation: {
      operationId: 'getDocs',
      summary: 'This document in Swagger UI',
      tags: ['operations'],
      security: [],
      responses: {
        '200': { description: 'An HTML page.', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    },
  },
];
