import { type Redis } from 'ioredis';
import { z } from 'zod';
import { type DeadLetterList } from '../../history/dead-letter';
import { type RedisKeys } from '../../redis/keys';
import { ApiError } from '../api-error';
import { decodeCursor, encodeCursor, pageSchema, paginationQuery } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { deadLetterAckSchema, signalIdParams, signalListItemSchema } from './signal-schemas';
import { signalNotFound } from './signal-routes';

export interface DeadLetterRoutesOptions {
  deadLetters: DeadLetterList;
  redis: Redis;
  keys: RedisKeys;
}

const entrySchema = signalListItemSchema
  .extend({
    failedAt: z.iso.datetime(),
    deadLetter: deadLetterAckSchema.nullable(),
  })
  .meta({ id: 'DeadLetter' });

const listQuery = paginationQuery.extend({
  handled: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: '`true` lists the acknowledged ones, newest acknowledgement first.' }),
});

const ackBody = z.strictObject({ note: z.string().max(1000).optional() });
const position = z.object({ s: z.number().int(), id: z.string().max(64) });

/** `GET /dead-letter` (viewer), `POST /dead-letter/:id/ack` (trader). */
export function deadLetterRoutes(options: DeadLetterRoutesOptions): ApiRoute[] {
  const list = defineRoute({
    method: 'get',
    path: '/dead-letter',
    operationId: 'listDeadLetters',
    summary: 'Signals that ended failed (incl. order_state_unknown), oldest unhandled first',
    description:
      'A signal leaves the list when the reconciler settles it or it is retried; acknowledging moves it to ' +
      '`handled=true`.',
    tags: ['signals'],
    access: 'viewer',
    query: listQuery,
    responses: { 200: { description: 'A page of dead letters.', schema: pageSchema(entrySchema) } },
    async handler({ query }) {
      const page = await options.deadLetters.list({
        handled: query.handled,
        limit: query.limit,
        after: decodeCursor(query.cursor, position),
      });
      return {
        status: 200,
        body: { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  });

  const ack = defineRoute({
    method: 'post',
    path: '/dead-letter/:id/ack',
    operationId: 'ackDeadLetter',
    summary: 'Mark a dead letter handled',
    tags: ['signals'],
    access: 'trader',
    params: signalIdParams,
    body: ackBody,
    responses: {
      200: {
        description: 'Acknowledged.',
        schema: z.object({ id: z.string(), deadLetter: deadLetterAckSchema }),
      },
    },
    audit: { action: 'dead_letter.ack', target: (params) => `signal:${params.id}` },
    async handler({ params, body, principal, now }) {
      const result = await options.deadLetters.ack(params.id, {
        at: now,
        by: principal.keyName,
        note: body.note,
      });
      if (result.state === 'ok')
        return { status: 200, body: { id: params.id, deadLetter: result.deadLetter } };
      const status = await options.redis.hget(options.keys.signal(params.id), 'status');
      if (status === null) throw signalNotFound(params.id);
      throw new ApiError(
        'conflict',
        result.state === 'handled'
          ? `signal ${params.id} was already acknowledged`
          : `signal ${params.id} is ${status}, not a dead letter`,
      );
    },
  });
  return [list, ack];
}
