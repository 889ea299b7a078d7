import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { type Alert } from '../signals/alert';
import { type OrderRecord } from '../signals/signal-record';
import { parseProgress } from './progress-fields';
import { type SignalListItem } from './signal-list-item';

/** One moment of a signal's life; durations are from the alert (or receipt) and from the moment before. */
interface TimelineEntry {
  event:
    'alert' | 'received' | 'queued' | 'started' | 'order_sent' | 'order_acknowledged' | 'filled' | 'finished';
  leg?: string;
  at: string;
  sinceAlertMs: number;
  sincePreviousMs?: number;
}

/** A dead letter's acknowledgement. */
export interface DeadLetterAck {
  handledAt: string;
  handledBy: string;
  note: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Slippage of an order's fill against the alert's reference price (docs/api.md): positive is worse. */
export function orderSlippage(
  order: Pick<OrderRecord, 'side' | 'average' | 'filled'>,
  reference: number | undefined,
): { quote: number; bps: number } | null {
  if (reference === undefined || !(reference > 0) || order.average === undefined || !(order.filled > 0)) {
    return null;
  }
  const worse = order.side === 'buy' ? order.average - reference : reference - order.average;
  return { quote: round(worse * order.filled, 8), bps: round((worse / reference) * 10_000, 2) };
}

/**
 * A signal's timeline: alert timestamp → received → queued → started → per order sent, acknowledged,
 * filled → finished, in time order (equal times keep that order). Times the record lacks are left out.
 */
export function timelineOf(input: {
  alertAt?: number;
  receivedAt: number;
  queuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  orders: OrderRecord[];
}): TimelineEntry[] {
  const moments: Array<{ event: TimelineEntry['event']; at: number; leg?: string }> = [];
  if (input.alertAt !== undefined) moments.push({ event: 'alert', at: input.alertAt });
  moments.push({ event: 'received', at: input.receivedAt });
  if (input.queuedAt !== undefined) moments.push({ event: 'queued', at: input.queuedAt });
  if (input.startedAt !== undefined) moments.push({ event: 'started', at: input.startedAt });
  for (const order of input.orders) {
    const leg = order.leg;
    if (order.sentAt !== undefined) moments.push({ event: 'order_sent', leg, at: order.sentAt });
    if (order.acknowledgedAt !== undefined)
      moments.push({ event: 'order_acknowledged', leg, at: order.acknowledgedAt });
    if (order.filledAt !== undefined) moments.push({ event: 'filled', leg, at: order.filledAt });
  }
  if (input.finishedAt !== undefined) moments.push({ event: 'finished', at: input.finishedAt });
  const ordered = moments.map((m, i) => ({ ...m, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const origin = ordered[0].at;
  return ordered.map((m, i) => ({
    event: m.event,
    ...(m.leg === undefined ? {} : { leg: m.leg }),
    at: iso(m.at),
    sinceAlertMs: m.at - origin,
    ...(i === 0 ? {} : { sincePreviousMs: m.at - ordered[i - 1].at }),
  }));
}

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

/** Reads a signal's whole record and shapes it for the API; `undefined` when there is none. */
export async function readSignalDetail(
  redis: Redis,
  keys: RedisKeys,
  signalId: string,
): Promise<Record<string, unknown> | undefined> {
  const h = await redis.hgetall(keys.signal(signalId));
  if (!h.id || !h.item) return undefined;
  const item = JSON.parse(h.item) as SignalListItem;
  const alert = JSON.parse(h.alert) as Alert;
  const progress = parseProgress(h);
  const orders = progress.orders.map((order) => {
    const { slippage: _percent, sentAt: _s, acknowledgedAt: _a, filledAt: _f, ...rest } = order;
    return { ...rest, fee: rest.fee ?? null, slippage: orderSlippage(order, alert.price) };
  });
  return {
    ...item,
    alert,
    auth: h.auth,
    requestId: h.requestId,
    attempts: Number(h.attempts ?? 0),
    plan: progress.steps ? { steps: progress.steps, notes: progress.notes ?? [] } : null,
    notes: progress.notes ?? [],
    orders,
    calls: progress.calls.map((c) => ({ ...c, at: iso(c.at) })),
    deadLetter: h.deadLetter ? (JSON.parse(h.deadLetter) as DeadLetterAck) : null,
    timeline: timelineOf({
      alertAt: alert.timestamp,
      receivedAt: Number(h.receivedAt),
      queuedAt: num(h.queuedAt),
      startedAt: num(h.startedAt),
      finishedAt: num(h.finishedAt),
      orders: progress.orders,
    }),
  };
}
