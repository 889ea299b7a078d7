import { z } from 'zod';
import { type DeliveryActions } from '../../notify/delivery-actions';
import { type DeliveryStore } from '../../notify/delivery-store';
import { ApiError } from '../api-error';
import { decodeCursor, encodeCursor, pageSchema } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import {
  deliveryDetailSchema,
  deliveryDetailView,
  deliveryIdParams,
  deliverySchema,
  deliveryView,
  listDeliveriesQuery,
} from './delivery-schemas';

const indexPosition = z.string().regex(/^\d{13}:dlv_[0-9a-f]{24}$/);

/** `/deliveries`: the history of notification attempts, and a manual retry. */
export function deliveryRoutes(options: { deliveries: DeliveryStore; actions: DeliveryActions }): ApiRoute[] {
  const { deliveries, actions } = options;

  const list = defineRoute({
    method: 'get',
    path: '/deliveries',
    operationId: 'listDeliveries',
    summary: 'List deliveries, newest first',
    description:
      'Kept `DELIVERY_RETENTION_HOURS`. `status=dead` lists the dead letters. A page may hold fewer items than `limit` when filters match rarely: follow `nextCursor`.',
    tags: ['notifications'],
    access: 'viewer',
    query: listDeliveriesQuery,
    responses: { 200: { description: 'A page of deliveries.', schema: pageSchema(deliverySchema) } },
    async handler({ query }) {
      const { deliveries: found, next } = await deliveries.list(
        {
          subscriptionId: query.subscriptionId,
          event: query.event,
          status: query.status,
          since: query.since === undefined ? undefined : Date.parse(query.since),
        },
        { limit: query.limit, after: decodeCursor(query.cursor, indexPosition) },
      );
      return {
        status: 200,
        body: { items: found.map(deliveryView), nextCursor: next ? encodeCursor(next) : null },
      };
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/deliveries/:id',
    operationId: 'getDelivery',
    summary: 'Show one delivery with every attempt',
    tags: ['notifications'],
    access: 'viewer',
    params: deliveryIdParams,
    responses: { 200: { description: 'The delivery.', schema: deliveryDetailSchema } },
    async handler({ params }) {
      const delivery = await deliveries.get(params.id);
      if (!delivery) throw new ApiError('not_found', 'no delivery with this id');
      return { status: 200, body: deliveryDetailView(delivery) };
    },
  });

  const retry = defineRoute({
    method: 'post',
    path: '/deliveries/:id/retry',
    operationId: 'retryDelivery',
    summary: 'Send a delivery again now (one attempt, whatever its status)',
    tags: ['notifications'],
    access: 'trader',
    params: deliveryIdParams,
    responses: {
      202: { description: 'Queued; its attempt appears in the delivery.', schema: deliverySchema },
    },
    audit: { action: 'delivery.retry', target: (params) => `delivery:${params.id}` },
    async handler({ params }) {
      const delivery = await deliveries.get(params.id);
      if (!delivery) throw new ApiError('not_found', 'no delivery with this id');
      await actions.retry(delivery);
      return { status: 202, body: deliveryView(delivery) };
    },
  });

  return [list, get, retry];
}
