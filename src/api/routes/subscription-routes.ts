import { urlProblem } from '../../notify/address-policy';
import { type DeliveryActions } from '../../notify/delivery-actions';
import { givenSecretProblem } from '../../notify/secret-material';
import { type ServiceOutcome, type SubscriptionService } from '../../notify/subscription-service';
import { type Subscription } from '../../notify/subscription';
import { type SubscriptionStore } from '../../notify/subscription-store';
import { z } from 'zod';
import { ApiError } from '../api-error';
import { decodeCursor, encodeCursor, pageSchema } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { deliveryDetailSchema, deliveryDetailView } from './delivery-schemas';
import {
  createSubscriptionBody,
  listSubscriptionsQuery,
  patchSubscriptionBody,
  replayQuery,
  subscriptionIdParams,
  subscriptionSchema,
  subscriptionView,
  subscriptionWithSecretSchema,
} from './subscription-schemas';

export interface SubscriptionRoutesOptions {
  service: SubscriptionService;
  store: SubscriptionStore;
  actions: DeliveryActions;
  /** `ALLOW_INSECURE_WEBHOOK_URLS`. */
  allowInsecureUrls: boolean;
}

const TELEGRAM_API = 'https://api.telegram.org';

const invalid = (path: string, message: string) =>
  new ApiError('invalid_request', 'the request body is not valid', { issues: [{ path, message }] });

function conflictOrSaved(result: ServiceOutcome): Extract<ServiceOutcome, { outcome: 'saved' }> {
  if (result.outcome === 'not_found') throw new ApiError('not_found', 'no subscription with this id');
  if (result.outcome === 'conflict')
    throw new ApiError('conflict', `subscription ${result.with} already sends these events to this url`);
  return result;
}

/** `/subscriptions`: create, list, show, change (incl. secret rotation), soft delete, test ping, replay. */
export function subscriptionRoutes(options: SubscriptionRoutesOptions): ApiRoute[] {
  const { service, store, actions } = options;
  const checkUrl = (url: string) => {
    const problem = urlProblem(url, options.allowInsecureUrls);
    if (problem) throw invalid('body.url', problem);
  };
  const existing = async (id: string): Promise<Subscription> => {
    const found = await store.get(id);
    if (!found || found.deletedAt !== null) throw new ApiError('not_found', 'no subscription with this id');
    return found;
  };

  const create = defineRoute({
    method: 'post',
    path: '/subscriptions',
    operationId: 'createSubscription',
    summary: 'Subscribe a url to events (the answer holds the secret, once)',
    tags: ['notifications'],
    access: 'trader',
    body: createSubscriptionBody,
    responses: {
      201: {
        description: 'The subscription, with `secret` (or `publicKey`) shown this once.',
        schema: subscriptionWithSecretSchema,
      },
      409: { description: 'Another subscription sends an overlapping set of events to the same url.' },
    },
    audit: { action: 'subscription.create' },
    async handler({ body, now }) {
      const format = body.format ?? 'standard';
      if (format === 'telegram' && !body.telegram)
        throw invalid('body.telegram', 'required for the telegram format');
      if (format !== 'telegram' && body.telegram)
        throw invalid('body.telegram', 'only for the telegram format');
      if (format !== 'telegram' && body.url === undefined) throw invalid('body.url', 'required');
      const url = body.url ?? TELEGRAM_API;
      checkUrl(url);
      if (body.secret !== undefined) {
        if (body.signing === 'ed25519')
          throw invalid('body.secret', 'an ed25519 key pair is always generated');
        const problem = givenSecretProblem(body.secret);
        if (problem) throw invalid('body.secret', problem);
      }
      const result = conflictOrSaved(await service.create({ ...body, url, format }, now));
      return {
        status: 201,
        body: subscriptionView(result.subscription, result.shown),
        audit: { target: `subscription:${result.subscription.id}` },
      };
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/subscriptions',
    operationId: 'listSubscriptions',
    summary: 'List subscriptions, newest first (secrets masked)',
    tags: ['notifications'],
    access: 'viewer',
    query: listSubscriptionsQuery,
    responses: { 200: { description: 'A page of subscriptions.', schema: pageSchema(subscriptionSchema) } },
    async handler({ query }) {
      const after = decodeCursor(query.cursor, z.string().regex(/^sub_[0-9a-f]{16}$/));
      let all = await store.all();
      if (query.event) all = all.filter((s) => s.events.includes('*') || s.events.includes(query.event!));
      const start = after === undefined ? 0 : all.findIndex((s) => s.id === after) + 1;
      const page = all.slice(start, start + query.limit);
      const more = start + query.limit < all.length;
      return {
        status: 200,
        body: {
          items: page.map((s) => subscriptionView(s)),
          nextCursor: more ? encodeCursor(page.at(-1)!.id) : null,
        },
      };
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/subscriptions/:id',
    operationId: 'getSubscription',
    summary: 'Show one subscription',
    tags: ['notifications'],
    access: 'viewer',
    params: subscriptionIdParams,
    responses: { 200: { description: 'The subscription.', schema: subscriptionSchema } },
    async handler({ params }) {
      return { status: 200, body: subscriptionView(await existing(params.id)) };
    },
  });

  const patch = defineRoute({
    method: 'patch',
    path: '/subscriptions/:id',
    operationId: 'updateSubscription',
    summary: 'Change a subscription, re-enable it, or rotate its secret',
    description:
      'With `rotateSecret: true` the answer holds the new secret, once; the old one signs for 24 h more.',
    tags: ['notifications'],
    access: 'trader',
    params: subscriptionIdParams,
    body: patchSubscriptionBody,
    responses: {
      200: {
        description: 'The subscription (with the new secret after a rotation).',
        schema: subscriptionWithSecretSchema,
      },
      409: { description: 'Another subscription sends an overlapping set of events to the same url.' },
    },
    audit: { action: 'subscription.update', target: (params) => `subscription:${params.id}` },
    async handler({ params, body, now }) {
      if (body.url !== undefined) checkUrl(body.url);
      const result = conflictOrSaved(await service.change(params.id, body, now));
      return { status: 200, body: subscriptionView(result.subscription, result.shown) };
    },
  });

  const remove = defineRoute({
    method: 'delete',
    path: '/subscriptions/:id',
    operationId: 'deleteSubscription',
    summary: 'Delete a subscription (soft: its deliveries stay in the history)',
    tags: ['notifications'],
    access: 'trader',
    params: subscriptionIdParams,
    responses: { 204: { description: 'Deleted; pending deliveries end `failed`.' } },
    audit: { action: 'subscription.delete', target: (params) => `subscription:${params.id}` },
    async handler({ params, now }) {
      conflictOrSaved(await service.remove(params.id, now));
      return { status: 204 };
    },
  });

  const test = defineRoute({
    method: 'post',
    path: '/subscriptions/:id/test',
    operationId: 'testSubscription',
    summary: 'Send a ping now and answer the attempt',
    description:
      'Recorded as a delivery (event `ping`); not retried. A refused or failed attempt is still a 200: read `status`.',
    tags: ['notifications'],
    access: 'trader',
    params: subscriptionIdParams,
    responses: { 200: { description: 'The ping delivery with its attempt.', schema: deliveryDetailSchema } },
    audit: { action: 'subscription.test', target: (params) => `subscription:${params.id}` },
    async handler({ params, now }) {
      const delivery = await actions.ping(await existing(params.id), now);
      return { status: 200, body: deliveryDetailView(delivery) };
    },
  });

  const replay = defineRoute({
    method: 'post',
    path: '/subscriptions/:id/replay',
    operationId: 'replaySubscription',
    summary: 'Re-send the events since a time that the subscription wants',
    description: "Like Svix's recover: new deliveries of the logged events (same `webhook-id`s), queued now.",
    tags: ['notifications'],
    access: 'trader',
    params: subscriptionIdParams,
    query: replayQuery,
    responses: {
      202: {
        description: 'How many deliveries were queued.',
        schema: z.object({ queued: z.number().int() }),
      },
    },
    audit: { action: 'subscription.replay', target: (params) => `subscription:${params.id}` },
    async handler({ params, query, now }) {
      const subscription = await existing(params.id);
      if (!subscription.active)
        throw new ApiError(
          'conflict',
          'the subscription is disabled; re-enable it first (PATCH active: true)',
        );
      const queued = await actions.replay(subscription, Date.parse(query.since), now);
      return { status: 202, body: { queued } };
    },
  });

  return [create, list, get, patch, remove, test, replay];
}
