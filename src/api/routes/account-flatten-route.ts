import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type SignalStore } from '../../history/signal-store';
import { type SignalQueue } from '../../queue/signal-queue';
import { type SignalEnvelope } from '../../signals/signal';
import { signalIdFromNonce } from '../../signals/signal-id';
import { ApiError } from '../api-error';
import { type ApiRoute, defineRoute } from '../route';
import { accountIdParams } from './account-schemas';

export interface FlattenRouteOptions {
  queue: SignalQueue;
  history: SignalStore;
  /** Configured account ids: anything else is 404. */
  accounts: readonly string[];
}

/** What the answer says about what flatten does and does not do. */
export const FLATTEN_NOTE =
  'cancels every open order of the account and closes every derivatives position with a reduce-only market ' +
  'order; spot holdings are left alone. Runs even while the account is paused. Follow it at GET /api/v1/signals/{id}.';

const flattenAnswer = z
  .object({
    id: z.string().meta({ example: 'sig_3f1c0a9b7d3e5f1a2b4c6d8e' }),
    status: z.literal('queued'),
    note: z.string(),
  })
  .meta({ id: 'FlattenQueued' });

/** `POST /accounts/:id/flatten` (trader): the panic button, recorded and executed like a signal. */
export function flattenRoute(options: FlattenRouteOptions): ApiRoute {
  const known = new Set(options.accounts);
  return defineRoute({
    method: 'post',
    path: '/accounts/:id/flatten',
    operationId: 'flattenAccount',
    summary: 'Cancel every open order and close every derivatives position of an account',
    description: `Queued as a signal with action \`flatten\`: ${FLATTEN_NOTE}`,
    tags: ['accounts'],
    access: 'trader',
    params: accountIdParams,
    responses: { 202: { description: 'Queued.', schema: flattenAnswer } },
    audit: { action: 'account.flatten', target: (params) => `account:${params.id}` },
    async handler({ params, principal, requestId, now }) {
      if (!known.has(params.id)) throw new ApiError('not_found', `no account "${params.id}" is configured`);
      // Every press is a new flatten: a second one after new orders must not be taken for a resend.
      const signal: SignalEnvelope = {
        id: signalIdFromNonce(`flatten:${randomUUID()}`),
        alert: {
          account: params.id,
          symbol: '*',
          action: 'flatten',
          orderType: 'market',
          quantityType: 'contracts',
          comment: `flatten by ${principal.keyName}`,
        },
        auth: 'api',
        requestId,
        receivedAt: now,
      };
      await options.queue.enqueue(signal);
      await options.history.recordQueued(signal, now);
      return {
        status: 202,
        body: { id: signal.id, status: 'queued', note: FLATTEN_NOTE },
        audit: { target: `account:${params.id}` },
      };
    },
  });
}
