import { z } from 'zod';
import { SIGNAL_STATUSES, type SignalStatus } from '../../signals/signal-record';
import { paginationQuery } from '../pagination';

const statusSchema = z.enum(SIGNAL_STATUSES);
const errorSchema = z.object({ code: z.string(), message: z.string() }).meta({ id: 'SignalError' });

export const signalListItemSchema = z
  .object({
    id: z.string().meta({ example: 'sig_3f1c2a9b8e7d6c5b4a392817' }),
    status: statusSchema,
    account: z.string(),
    symbol: z.string().meta({ description: 'As the alert sent it.', example: 'BINANCE:BTCUSDT' }),
    market: z.string().nullable().meta({ description: 'The market its first order went to.' }),
    action: z.string().nullable(),
    side: z.enum(['buy', 'sell']).nullable(),
    strategy: z.string().nullable().meta({ description: 'The alert’s `meta.strategy`, else its `comment`.' }),
    receivedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    orders: z.number().int(),
    filled: z.object({ amount: z.number(), average: z.number(), cost: z.number() }).nullable(),
    slippageBps: z
      .number()
      .nullable()
      .meta({ description: 'Fill-weighted, against the alert’s `price`; positive is worse for the trader.' }),
    error: errorSchema.nullable(),
  })
  .meta({ id: 'SignalListItem' });

const isoTime = z.iso.datetime({ offset: true });

export const signalListQuery = paginationQuery.extend({
  status: z
    .string()
    .max(200)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const statuses = value.split(',').map((s) => s.trim());
      const unknown = statuses.filter((s) => !(SIGNAL_STATUSES as readonly string[]).includes(s));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown status ${unknown.join(', ')}; one of ${SIGNAL_STATUSES.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(statuses)] as SignalStatus[];
    })
    .meta({ description: 'One status or several, comma-separated (`failed,expired`).' }),
  account: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(64).optional().meta({
    description: 'Matches however the symbol is written: `BINANCE:BTCUSDT`, `BTCUSDT`, `BTC/USDT`.',
  }),
  strategy: z.string().min(1).max(500).optional().meta({ description: '`meta.strategy`, else `comment`.' }),
  since: isoTime.optional().meta({ description: 'Received at or after (inclusive).' }),
  until: isoTime.optional().meta({ description: 'Received at or before (inclusive).' }),
});

export const signalIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^sig_[0-9a-f]{24}$/, 'must be a signal id (sig_ and 24 hex digits)')
    .meta({ example: 'sig_3f1c2a9b8e7d6c5b4a392817' }),
});

const isoInstant = z.iso.datetime();

const orderDetailSchema = z.object({
  leg: z.string().meta({ example: 'open' }),
  exchangeId: z.string(),
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.string(),
  amount: z.number(),
  price: z.number().optional(),
  filled: z.number(),
  average: z.number().optional(),
  cost: z.number().optional(),
  fee: z.object({ cost: z.number(), currency: z.string() }).nullable(),
  status: z.string(),
  slippage: z
    .object({ quote: z.number(), bps: z.number() })
    .nullable()
    .meta({ description: 'Against the alert’s `price`; positive is worse for the trader.' }),
});

export const deadLetterAckSchema = z
  .object({ handledAt: isoInstant, handledBy: z.string(), note: z.string().nullable() })
  .meta({ id: 'DeadLetterAck' });

export const signalDetailSchema = signalListItemSchema
  .extend({
    alert: z.record(z.string(), z.unknown()).meta({ description: 'The alert as queued; never a token.' }),
    auth: z.enum(['hmac', 'token', 'api']),
    requestId: z.string(),
    attempts: z.number().int(),
    plan: z
      .object({ steps: z.array(z.looseObject({ kind: z.string() })), notes: z.array(z.string()) })
      .nullable(),
    notes: z.array(z.string()),
    orders: z.array(orderDetailSchema),
    calls: z.array(z.object({ call: z.string(), at: isoInstant, ms: z.number(), ok: z.boolean() })),
    deadLetter: deadLetterAckSchema.nullable(),
    timeline: z.array(
      z.object({
        event: z.enum([
          'alert',
          'received',
          'queued',
          'started',
          'order_sent',
          'order_acknowledged',
          'filled',
          'finished',
        ]),
        leg: z.string().optional(),
        at: isoInstant,
        sinceAlertMs: z.number(),
        sincePreviousMs: z.number().optional(),
      }),
    ),
  })
  .meta({ id: 'SignalDetail' });
