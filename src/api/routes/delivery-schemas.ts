import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-types';
import { type Delivery } from '../../notify/delivery';
import { paginationQuery } from '../pagination';
import { attemptSchema, deliveryStatus } from './subscription-schemas';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const deliverySchema = z
  .object({
    id: z.string().meta({ example: 'dlv_3f1c0a9b8e7d6c5b4a392817' }),
    subscriptionId: z.string(),
    eventId: z.string().meta({ description: 'The `webhook-id` of every attempt.' }),
    event: z.enum(EVENT_TYPES),
    status: deliveryStatus.meta({
      description:
        '`pending` (first or next attempt to come), `succeeded`, `failed` (410, subscription disabled or deleted, failed ping), `dead` (the whole schedule failed).',
    }),
    attemptCount: z.number().int(),
    lastAttempt: z
      .object({ at: z.iso.datetime(), statusCode: z.number().int().nullable(), error: z.string().nullable() })
      .nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    replay: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Delivery' });

export const deliveryDetailSchema = deliverySchema
  .extend({
    payload: z.object({
      id: z.string(),
      type: z.string(),
      timestamp: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'DeliveryDetail' });

export function deliveryView(d: Delivery) {
  const last = d.attempts.at(-1);
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    eventId: d.event.id,
    event: d.event.type,
    status: d.status,
    attemptCount: d.attempts.length,
    lastAttempt: last
      ? { at: new Date(last.at).toISOString(), statusCode: last.statusCode, error: last.error }
      : null,
    nextAttemptAt: iso(d.nextAttemptAt),
    replay: d.replay,
    createdAt: new Date(d.createdAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
  };
}

export function deliveryDetailView(d: Delivery) {
  return {
    ...deliveryView(d),
    payload: d.event,
    attempts: d.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

export const listDeliveriesQuery = paginationQuery.extend({
  subscriptionId: z.string().max(64).optional(),
  event: z.enum(EVENT_TYPES).optional(),
  status: deliveryStatus.optional(),
  since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created at or after this time.' }),
});

export const deliveryIdParams = z.strictObject({ id: z.string().max(64) });
