import { viewOf } from '../../keys/api-key';
import { type KeyStore } from '../../keys/key-store';
import { ApiError } from '../api-error';
import { decodeCursor, encodeCursor, pageSchema, paginationQuery } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { z } from 'zod';
import { apiKeySchema, createKeyBody, createdApiKeySchema, keyIdParams } from './key-schemas';

export interface KeyRoutesOptions {
  store: KeyStore;
  /** `API_RATE_LIMIT_PER_MINUTE`, shown for keys that set no limit of their own. */
  defaultRateLimitPerMinute: number;
}

const indexPosition = z.string().regex(/^\d{13}:key_[0-9a-f]{16}$/);

/** `GET/POST /keys`, `GET/DELETE /keys/:id` (admin). */
export function keyRoutes(options: KeyRoutesOptions): ApiRoute[] {
  const { store } = options;
  const view = (now: number) => (record: Parameters<typeof viewOf>[0]) =>
    viewOf(record, { now, defaultRateLimit: options.defaultRateLimitPerMinute });

  const list = defineRoute({
    method: 'get',
    path: '/keys',
    operationId: 'listKeys',
    summary: 'List API keys, newest first',
    tags: ['keys'],
    access: 'admin',
    query: paginationQuery,
    responses: { 200: { description: 'A page of keys.', schema: pageSchema(apiKeySchema) } },
    async handler({ query, now }) {
      const after = decodeCursor(query.cursor, indexPosition);
      const { records, next } = await store.list({ limit: query.limit, after });
      return {
        status: 200,
        body: { items: records.map(view(now)), nextCursor: next ? encodeCursor(next) : null },
      };
    },
  });

  const create = defineRoute({
    method: 'post',
    path: '/keys',
    operationId: 'createKey',
    summary: 'Create an API key (the answer holds the key, once)',
    tags: ['keys'],
    access: 'admin',
    body: createKeyBody,
    responses: {
      201: { description: 'The new key, with `apiKey` shown this once.', schema: createdApiKeySchema },
    },
    audit: { action: 'key.create' },
    async handler({ body, now }) {
      const expiresAt = body.expiresAt === undefined ? undefined : Date.parse(body.expiresAt);
      if (expiresAt !== undefined && expiresAt <= now) {
        throw new ApiError('invalid_request', 'the request body is not valid', {
          issues: [{ path: 'body.expiresAt', message: 'must lie in the future' }],
        });
      }
      const { rawKey, record } = await store.issue(
        { name: body.name, role: body.role, expiresAt, rateLimitPerMinute: body.rateLimitPerMinute },
        now,
      );
      return {
        status: 201,
        body: { ...view(now)(record), apiKey: rawKey },
        audit: { target: `key:${record.id}` },
      };
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/keys/:id',
    operationId: 'getKey',
    summary: 'Show one API key',
    tags: ['keys'],
    access: 'admin',
    params: keyIdParams,
    responses: { 200: { description: 'The key.', schema: apiKeySchema } },
    async handler({ params, now }) {
      const record = await store.get(params.id);
      if (!record) throw new ApiError('not_found', 'no API key with this id');
      return { status: 200, body: view(now)(record) };
    },
  });

  const revoke = defineRoute({
    method: 'delete',
    path: '/keys/:id',
    operationId: 'revokeKey',
    summary: 'Revoke an API key (at once, in every process; its sessions end too)',
    description: 'Revoking an already revoked key changes nothing and answers the key as it is.',
    tags: ['keys'],
    access: 'admin',
    params: keyIdParams,
    responses: {
      200: { description: 'The revoked key.', schema: apiKeySchema },
      409: { description: 'It is the last active admin key: revoking it would lock every admin out.' },
    },
    audit: { action: 'key.revoke', target: (params) => `key:${params.id}` },
    async handler({ params, now }) {
      const result = await store.revoke(params.id, { now, guardLastAdmin: true });
      if (result.outcome === 'not_found') throw new ApiError('not_found', 'no API key with this id');
      if (result.outcome === 'last_admin') {
        throw new ApiError(
          'conflict',
          'this is the last active admin key: revoking it would leave no way to manage tradehook through ' +
            'the API. Create another admin key first (or revoke it with `npm run keys -- revoke`)',
        );
      }
      const record = await store.get(params.id);
      if (!record) throw new ApiError('not_found', 'no API key with this id');
      return { status: 200, body: view(now)(record) };
    },
  });

  return [list, create, get, revoke];
}
