import { z } from 'zod';

/** `:id` of an account route: an account id as ACCOUNTS allows it. */
export const accountIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'an account id: 1-32 characters of A-Z a-z 0-9 _ -')
    .meta({ example: 'main' }),
});

/** `?hold=true` of the pause routes. */
export const pauseQuery = z.strictObject({
  hold: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({
      description:
        'true: new and queued signals wait until resumed (or until they expire) instead of ending `rejected` with `paused`.',
    }),
});

export const pauseSchema = z
  .object({
    since: z.iso.datetime(),
    by: z.string().meta({ description: 'The name of the API key that paused.' }),
    hold: z.boolean(),
    scope: z
      .enum(['account', 'all'])
      .meta({ description: '`all`: the global pause (`POST /api/v1/pause`).' }),
  })
  .meta({ id: 'Pause', description: 'The kill switch an account is under.' });

export const accountPauseAnswer = z
  .object({
    account: z.string(),
    paused: pauseSchema.nullable().meta({
      description:
        "The pause in force after the call: the account's own, else the global one; null when trading.",
    }),
    changed: z
      .boolean()
      .meta({ description: 'false when the call found the switch already in that position.' }),
    note: z.string().optional(),
  })
  .meta({ id: 'AccountPause' });

export const globalPauseAnswer = z
  .object({
    paused: pauseSchema.nullable(),
    changed: z.boolean(),
    note: z.string().optional(),
  })
  .meta({ id: 'GlobalPause' });

const balanceSchema = z.object({ free: z.number(), used: z.number(), total: z.number() });

const positionSchema = z.object({
  symbol: z.string().meta({ example: 'BTC/USDT:USDT' }),
  contracts: z.number().meta({ description: 'Signed: short < 0.' }),
  side: z.enum(['long', 'short', 'flat']),
  entryPrice: z.number().nullable(),
  unrealizedPnl: z.number().nullable(),
});

const openOrderSchema = z.object({
  id: z.string(),
  clientOrderId: z.string().nullable(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.string(),
  amount: z.number(),
  price: z.number().nullable(),
  filled: z.number(),
  status: z.string(),
});

export const accountSchema = z
  .object({
    id: z.string(),
    exchange: z.string().meta({ example: 'binance' }),
    paper: z.boolean(),
    sandbox: z.boolean(),
    defaultType: z.enum(['spot', 'swap']).nullable(),
    marketsLoaded: z.boolean().nullable(),
    breaker: z.string().nullable().meta({
      description: '`closed`, `open`, `half-open` or `isolated`; null without one (offline paper).',
    }),
    paused: pauseSchema.nullable(),
    snapshotAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the worker last looked; null: not yet.' }),
    balances: z.record(z.string(), balanceSchema).nullable(),
    positions: z.array(positionSchema).nullable(),
    errors: z
      .array(z.object({ part: z.string(), message: z.string() }))
      .meta({ description: 'Parts the worker could not read last time (their previous value is shown).' }),
  })
  .meta({ id: 'Account', description: 'An account as its worker last saw it. Never holds keys or secrets.' });

export const accountDetailSchema = accountSchema
  .extend({ openOrders: z.array(openOrderSchema).nullable() })
  .meta({ id: 'AccountDetail' });
