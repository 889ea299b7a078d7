import { z } from 'zod';
import { type DryRunIntent } from '../../dryrun/dry-run-answer';

/** `true` when A and B have the same keys, each optional on both or neither, with mutually assignable types. */
type SameShape<A, B> = [keyof A, keyof B] extends [keyof B, keyof A]
  ? [Required<A>, Required<B>, A, B] extends [Required<B>, Required<A>, B, A]
    ? true
    : false
  : false;

/** The body of `POST /signals`: an alert, checked by the webhook's own validation (not by this schema). */
export const submitBodySchema = z.record(z.string(), z.unknown()).meta({
  id: 'AlertSubmission',
  description:
    'An alert exactly as the webhook takes it (schema `Alert`, docs/alerts.md), without `token`/`passphrase` ' +
    '(the API key authenticates). It is validated by the webhook’s own rules: a problem answers ' +
    '`400 invalid_signal` with `issues`.',
  example: { id: 'my-script-0001', symbol: 'BTCUSDT', action: 'buy', quantity: 0.01, price: 65000 },
  // Documented as the webhook's own `Alert` schema (registered by the webhook's operation).
  override: { $ref: '#/components/schemas/Alert' },
});

export const submitQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({
      description: '`true`: plan against the live markets and balances and answer the orders; place nothing.',
    }),
});

export const submittedSchema = z.object({ id: z.string(), status: z.enum(['queued', 'duplicate']) }).meta({
  id: 'SignalSubmitted',
  description: '`queued` (202), or `duplicate` (200): this `id` was sent before.',
});

const intentSchema = z
  .object({
    leg: z.string().meta({ description: '`open`, `close`, `tp`, `sl`… (part of the client order id).' }),
    clientOrderId: z.string(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit', 'stop_market', 'take_profit_market']),
    amount: z.number().meta({ description: "In the market's amount precision (contracts on derivatives)." }),
    price: z.number().optional(),
    referencePrice: z.number().optional(),
    triggerPrice: z.number().optional(),
    reduceOnly: z.boolean().optional(),
    postOnly: z.boolean().optional(),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']).optional(),
    takeProfitPrice: z.number().optional(),
    stopLossPrice: z.number().optional(),
    estimatedCost: z
      .number()
      .optional()
      .meta({ description: 'amount × price (× contract size), quote currency; fees not included.' }),
    estimatedFee: z
      .number()
      .optional()
      .meta({
        description:
          "The fee at the market's rate (taker for market orders, maker for limit), valued in the quote " +
          'currency, when the rate is known; negative for a maker rebate.',
      }),
  })
  .meta({ id: 'DryRunIntent' });

// The documented schema and the type the worker answers with cannot drift apart: this fails to compile when a
// field is added, removed, or typed differently on one side only.
const intentSchemaMatchesType: SameShape<z.output<typeof intentSchema>, DryRunIntent> = true;
void intentSchemaMatchesType;

const balanceSchema = z.object({ free: z.number(), used: z.number(), total: z.number() });

export const dryRunAnswerSchema = z
  .object({
    dryRun: z.literal(true),
    id: z.string().meta({ description: 'The signal id a real submission of this alert would get.' }),
    account: z.string(),
    exchange: z.string(),
    symbol: z.string(),
    market: z
      .object({
        symbol: z.string(),
        type: z.string(),
        base: z.string(),
        quote: z.string(),
        settle: z.string().optional(),
        contractSize: z.number().optional(),
        precision: z.object({ amount: z.number().optional(), price: z.number().optional() }),
        limits: z.object({ amountMin: z.number().optional(), costMin: z.number().optional() }),
      })
      .nullable(),
    outcome: z.enum(['would_place', 'nothing_to_do', 'refused', 'error']),
    intents: z.array(intentSchema),
    actions: z.array(
      z.object({
        kind: z.enum(['cancel_open', 'set_margin_mode', 'set_leverage']),
        symbol: z.string(),
        mode: z.enum(['isolated', 'cross']).optional(),
        leverage: z.number().optional(),
      }),
    ),
    notes: z.array(z.string()),
    refusal: z
      .object({
        code: z.string(),
        reason: z.string(),
        source: z.enum(['plan', 'kill_switch', 'funds', 'exchange']),
        needed: z
          .number()
          .optional()
          .meta({ description: 'What the orders need, fees charged on top of them included.' }),
        available: z.number().optional(),
        currency: z.string().optional(),
      })
      .nullable(),
    snapshot: z.object({
      price: z.number().optional(),
      position: z.object({ symbol: z.string(), contracts: z.number(), side: z.string() }).optional(),
      balances: z.record(z.string(), balanceSchema).optional(),
    }),
    calls: z.array(z.object({ call: z.string(), ms: z.number(), ok: z.boolean() })),
    plannedAt: z.iso.datetime(),
    durationMs: z.number(),
  })
  .meta({ id: 'DryRun', description: 'What the alert would do now. Nothing was placed or recorded.' });
