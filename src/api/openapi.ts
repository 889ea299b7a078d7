import { z } from 'zod';
import {
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { API_ERROR_STATUS, type ApiErrorCode } from './api-error';
import { API_BASE_PATH, type ApiRegistry } from './registry';
import { type ApiRoute } from './route';

/** The body of every error answer. */
export const errorBodySchema = z
  .object({
    error: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error', description: 'Every error answer; `issues` lists each field problem of a 400.' });

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  [extension: `x-${string}`]: unknown;
}

/** `/api/v1/keys/:id` → `/api/v1/keys/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const error = (description: string, headers?: ZodOpenApiResponseObject['headers']) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: errorBodySchema } },
});

/** Every management route needs Redis (authentication reads the key and counts its rate limit there). */
const redisUnavailableResponse = error(
  '`unavailable`: Redis does not answer; nothing was done. Retry after `Retry-After` seconds.',
  { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
);

/** The error answers the router itself may give for a route, beside those the route declares. */
function frameworkErrors(route: ApiRoute): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  if (route.params || route.query || route.body)
    responses['400'] = error('The request is not valid: `issues` names each problem.');
  if (route.access !== 'public') {
    responses['401'] = error('No valid API key or session.');
    responses['403'] = error(
      `The key's role is below \`${route.access}\`, or a cookie-authenticated write came from another origin.`,
    );
    responses['429'] = error("Over the key's rate limit; see `Retry-After`.");
  }
  if (route.params) responses['404'] = error('Nothing with this id.');
  if (route.body) {
    responses['413'] = error('The body is larger than 64 KiB.');
    responses['415'] = error('The body is not `application/json`.');
  }
  responses['503'] = redisUnavailableResponse;
  return responses;
}

function operationOf(route: ApiRoute): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = frameworkErrors(route);
  for (const [status, spec] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    const key = status as `${1 | 2 | 3 | 4 | 5}${string}`;
    // A route's own words for a status the router also answers (its 503, say) keep the router's headers.
    responses[key] = {
      ...(responses[key] as ZodOpenApiResponseObject | undefined),
      description: spec.description,
      ...(spec.schema || isError
        ? { content: { [spec.mediaType ?? 'application/json']: { schema: spec.schema ?? errorBodySchema } } }
        : {}),
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: route.access === 'public' ? [] : [{ apiKey: [] }, { session: [] }],
    ...(route.access === 'public' ? {} : { 'x-minimum-role': route.access }),
    requestParams: {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of everything in the registry, generated from the same zod schemas that validate
 * requests (zod-openapi). Loaded lazily: the web process pays for it on the first `/openapi.json` only.
 */
export async function buildOpenApiDocument(registry: ApiRegistry, info: OpenApiInfo): Promise<object> {
  const { createDocument } = await import('zod-openapi');
  const paths: ZodOpenApiPathsObject = {};
  for (const route of registry.routes()) {
    const path = openApiPath(API_BASE_PATH + route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  for (const extra of registry.documented()) {
    paths[extra.path] = { ...paths[extra.path], [extra.method]: extra.operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { ...info },
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A management API key: `Authorization: Bearer th_…`.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: '`METRICS_TOKEN`, for `/metrics` only.',
        },
        webhookHmac: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'Standard Webhooks: `webhook-id`, `webhook-timestamp` (unix s) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with a secret of `WEBHOOK_SECRETS`.',
        },
        webhookToken: {
          type: 'apiKey',
          in: 'header',
          name: 'token',
          'x-tradehook-in': 'body or path',
          description:
            "One of `WEBHOOK_TOKENS`, sent as the body's `token` (alias `passphrase`) field or as the path of `POST /webhook/{token}` — never as a header: OpenAPI has no way to name a secret inside the body, so this scheme only documents the mode.",
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'th_session',
          description:
            'The dashboard session from `POST /api/v1/session`. Writes must carry a same-origin `Origin`.',
        },
      },
    },
  });
}
