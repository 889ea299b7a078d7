import { z } from 'zod';
import { type Redis } from 'ioredis';
import { readSignalDetail } from '../../history/signal-detail';
import { type SignalQuery } from '../../history/signal-query';
import { type SignalStore } from '../../history/signal-store';
import { type SignalQueue } from '../../queue/signal-queue';
import { type RedisKeys } from '../../redis/keys';
import { ApiError } from '../api-error';
import { decodeCursor, encodeCursor, pageSchema } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { timeRange } from '../validation';
import { signalDetailSchema, signalIdParams, signalListItemSchema, signalListQuery } from './signal-schemas';

export interface SignalRoutesOptions {
  query: SignalQuery;
  store: SignalStore;
  queue: SignalQueue;
  redis: Redis;
  keys: RedisKeys;
}

export const signalNotFound = (id: string) => new ApiError('not_found', `no signal ${id}`);

const retriedSchema = z.object({ id: z.string(), status: z.literal('queued') });

const position = z.object({ s: z.number().int(), id: z.string().max(64) });

/** `GET /signals`, `GET /signals/:id` (viewer): the signal history. */
export function signalRoutes(options: SignalRoutesOptions): ApiRoute[] {
  const list = defineRoute({
    method: 'get',
    path: '/signals',
    operationId: 'listSignals',
    summary: 'List signals, newest first',
    description:
      'Filters narrow together (AND); `status` takes several values (OR). A page examines at most 1,000 ' +
      'index entries: with rarely matching filters it may hold fewer than `limit` items and still a ' +
      '`nextCursor`.',
    tags: ['signals'],
    access: 'viewer',
    query: signalListQuery,
    responses: { 200: { description: 'A page of signals.', schema: pageSchema(signalListItemSchema) } },
    async handler({ query }) {
      const page = await options.query.list(
        {
          statuses: query.status,
          account: query.account,
          symbol: query.symbol,
          strategy: query.strategy,
          ...timeRange(query),
        },
        { limit: query.limit, after: decodeCursor(query.cursor, position) },
      );
      return {
        status: 200,
        body: { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  });
  const detail = defineRoute({
    method: 'get',
    path: '/signals/:id',
    operationId: 'getSignal',
    summary: 'One signal’s whole lifecycle: alert, plan, orders, calls, timeline, slippage',
    tags: ['signals'],
    access: 'viewer',
    params: signalIdParams,
    responses: { 200: { description: 'The signal.', schema: signalDetailSchema } },
    async handler({ params }) {
      const signal = await readSignalDetail(options.redis, options.keys, params.id);
      if (!signal) throw signalNotFound(params.id);
      return { status: 200, body: signal };
    },
  });
  const retry = defineRoute({
    method: 'post',
    path: '/signals/:id/retry',
    operationId: 'retrySignal',
    summary: 'Re-queue a failed or expired signal under a new attempt',
    description:
      'The new attempt looks every order up by its client order id before sending it: an order an earlier ' +
      'attempt placed is adopted, never placed twice. Its age (`SIGNAL_MAX_AGE_SECONDS`, `maxLagSeconds`) ' +
      'counts from the retry. `409 conflict` for any other status.',
    tags: ['signals'],
    access: 'trader',
    params: signalIdParams,
    responses: { 202: { description: 'Queued again.', schema: retriedSchema } },
    audit: { action: 'signal.retry', target: (params) => `signal:${params.id}` },
    async handler({ params, now }) {
      const result = await options.store.requeue(params.id, now);
      if (result.state === 'not_found') throw signalNotFound(params.id);
      if (result.state === 'conflict') {
        throw new ApiError(
          'conflict',
          `signal ${params.id} is ${result.status}; only failed or expired signals can be retried`,
        );
      }
      await options.queue.requeue(result.signal);
      return { status: 202, body: { id: params.id, status: 'queued' } };
    },
  });
  return [list, detail, retry];
}
