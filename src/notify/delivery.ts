import { createHash, randomBytes } from 'node:crypto';
import { type TradehookEvent } from '../events/event-types';

/**
 * Where a delivery stands:
 * - `pending`: waiting for its first attempt, or for the next one after a failure (`nextAttemptAt`);
 * - `succeeded`: a receiver answered 2xx;
 * - `failed`: ended without the whole schedule: the receiver answered 410, the subscription was disabled
 *   or deleted, or a test ping failed;
 * - `dead`: every attempt of the retry schedule failed (the dead letters, `?status=dead`).
 */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One try: when, the answer's status (null for a network error or timeout), how long, what came back. */
export interface Attempt {
  at: number;
  statusCode: number | null;
  durationMs: number;
  /** The answer's first 20 KB. */
  response: string;
  error: string | null;
  /** `schedule` (the retry schedule), `manual` (POST …/retry) or `test` (POST …/test). */
  trigger: 'schedule' | 'manual' | 'test';
}

export interface Delivery {
  id: string;
  subscriptionId: string;
  /** The event as delivered (its id is every attempt's `webhook-id`). */
  event: TradehookEvent;
  status: DeliveryStatus;
  attempts: Attempt[];
  /** Attempts the retry schedule made (manual ones not counted): the schedule's position. */
  scheduled: number;
  nextAttemptAt: number | null;
  /** Created by a replay (`POST /subscriptions/:id/replay`). */
  replay: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * The id of the delivery of `eventId` to `subscriptionId`: derived, so that the fan-out creates each
 * delivery once even when it reads an event twice (after a crash). Replays and pings get fresh ids.
 */
export function deliveryId(subscriptionId: string, eventId: string): string {
  return `dlv_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('hex').slice(0, 24)}`;
}

export function freshDeliveryId(): string {
  return `dlv_${randomBytes(12).toString('hex')}`;
}

export function newDelivery(input: {
  id: string;
  subscriptionId: string;
  event: TradehookEvent;
  now: number;
  replay?: boolean;
}): Delivery {
  return {
    id: input.id,
    subscriptionId: input.subscriptionId,
    event: input.event,
    status: 'pending',
    attempts: [],
    scheduled: 0,
    nextAttemptAt: input.now,
    replay: input.replay ?? false,
    createdAt: input.now,
    updatedAt: input.now,
  };
}
