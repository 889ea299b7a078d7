/**
 * The events tradehook publishes (docs/api.md "Notifications"): what notifications deliver and what the
 * dashboard's live stream shows. Pure: no Redis, no framework.
 */
export const SIGNAL_EVENT_TYPES = [
  'signal.queued',
  'signal.filled',
  'signal.placed',
  'signal.done',
  'signal.canceled',
  'signal.rejected',
  'signal.failed',
  'signal.expired',
] as const;

export const EVENT_TYPES = [
  ...SIGNAL_EVENT_TYPES,
  'order.state_unknown',
  'account.paused',
  'account.resumed',
  'account.breaker_opened',
  'account.breaker_closed',
  'subscription.disabled',
  'ping',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** One published event, as stored once and delivered to every matching subscriber. */
export interface TradehookEvent<Data extends Record<string, unknown> = Record<string, unknown>> {
  /** `evt_` + 24 hex: stable, the `webhook-id` of every delivery of it. */
  id: string;
  type: EventType;
  /** ISO-8601. */
  timestamp: string;
  data: Data;
}

/** Where an event stands in the log: the stream entry id (`<ms>-<seq>`), usable as an SSE `id:`. */
export interface LoggedEvent extends TradehookEvent {
  position: string;
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The event a signal's status change publishes, if any (`processing` publishes none). */
export function signalEventType(status: string): EventType | undefined {
  const type = `signal.${status}`;
  return (SIGNAL_EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : undefined;
}
