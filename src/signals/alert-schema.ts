import { z } from 'zod';
import {
  ACTIONS,
  type Action,
  type Alert,
  QUANTITY_TYPES,
  type Sentiment,
  type ValidationIssue,
} from './alert';
import { findPlaceholder } from './alert-placeholder';
import { booleanish, exitSchema, keyword, numeric, placeholderMessage, text } from './alert-schema-fields';
import { toIssues } from './alert-schema-issues';
import { shapeProblem } from './alert-shape';
import { parseTimestamp } from './timestamp';
import { withoutUndefined } from '../util/objects';

/**
 * The alert body, schema v1 (docs/contract.md "The alert"). Aliases are separate keys here so that a
 * body using both spellings is refused instead of silently preferring one; unknown keys are refused by
 * name because a typo (`qty`) must never trade a default size.
 */
export const rawAlertSchema = z.strictObject({
  token: z.string().optional(),
  passphrase: z.string().optional(),
  // 256: the recipes' ids (account ≤ 32, ticker ≤ 64, {{timenow}} 20, separators) leave ≥ 130 characters for
  // a Pine order id; at 128 a long order id made every fire of the alert a 400.
  id: z.union([text(256), z.number().transform(String)]).optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  account: text(32).optional(),
  symbol: text(64).optional(),
  ticker: text(64).optional(),
  action: keyword<Action>(ACTIONS, { exit: 'close', flat: 'close' }).optional(),
  sentiment: keyword<Sentiment>(['long', 'short', 'flat'], { bullish: 'long', bearish: 'short' }).optional(),
  type: keyword(['market', 'limit'] as const).optional(),
  orderType: keyword(['market', 'limit'] as const).optional(),
  price: numeric({ positive: true }).optional(),
  quantity: numeric({ positive: true }).optional(),
  amount: numeric({ positive: true }).optional(),
  contracts: numeric({ positive: true }).optional(),
  quantityType: keyword(QUANTITY_TYPES).optional(),
  positionSize: numeric().optional(),
  leverage: numeric({ min: 1, max: 500 }).optional(),
  marginMode: keyword(['isolated', 'cross'] as const).optional(),
  reduceOnly: booleanish.optional(),
  postOnly: booleanish.optional(),
  timeInForce: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .pipe(z.enum(['GTC', 'IOC', 'FOK'], { message: 'must be one of: GTC, IOC, FOK' }))
    .optional(),
  takeProfit: exitSchema.optional(),
  stopLoss: exitSchema.optional(),
  maxLagSeconds: numeric({ positive: true }).optional(),
  comment: z.string().max(500, 'must be at most 500 characters').optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

type RawAlert = z.infer<typeof rawAlertSchema>;

const ALIAS_GROUPS: Array<[keyof RawAlert, ...(keyof RawAlert)[]]> = [
  ['symbol', 'ticker'],
  ['quantity', 'amount', 'contracts'],
  ['type', 'orderType'],
  ['token', 'passphrase'],
];

const KNOWN_FIELDS = Object.keys(rawAlertSchema.shape);

export type ParseAlertResult = { ok: true; alert: Alert } | { ok: false; issues: ValidationIssue[] };

/**
 * Validates and normalises an alert body. `defaultAccount` fills `account` when absent; `accounts`, when
 * given, is the list of configured ids that `account` must name.
 */
export function parseAlert(
  body: unknown,
  opts: { defaultAccount: string; accounts?: string[] },
): ParseAlertResult {
  const shape =
    body !== null && typeof body === 'object' ? shapeProblem(body as Record<string, unknown>) : undefined;
  if (shape) return { ok: false, issues: [shape] };
  const parsed = rawAlertSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error.issues, KNOWN_FIELDS) };
  const raw = parsed.data;
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  for (const [first, ...others] of ALIAS_GROUPS) {
    const present = [first, ...others].filter((k) => raw[k] !== undefined);
    if (present.length > 1) add(present[1], `use only one of: ${present.join(', ')}`);
  }

  const symbol = raw.symbol ?? raw.ticker;
  if (symbol === undefined) add('symbol', 'is required (alias: ticker)');
  else if (findPlaceholder(symbol) !== undefined) add('symbol', placeholderMessage(symbol));
  else if (!/^[A-Za-z0-9:/._-]+$/.test(symbol)) add('symbol', 'may only hold letters, digits and : / . _ -');

  const account = raw.account ?? opts.defaultAccount;
  if (opts.accounts && !opts.accounts.includes(account)) {
    add('account', `"${account}" is not a configured account (known: ${opts.accounts.join(', ')})`);
  }

  let timestamp: number | undefined;
  if (raw.timestamp !== undefined) {
    timestamp = parseTimestamp(raw.timestamp);
    if (timestamp === undefined)
      add('timestamp', 'must be ISO-8601 (e.g. {{timenow}}) or unix seconds/milliseconds');
  }

  const quantity = raw.quantity ?? raw.amount ?? raw.contracts;
  const orderType = raw.type ?? raw.orderType ?? 'market';
  const quantityType = raw.quantityType ?? 'base';
  checkIntent(raw, quantity, add);
  if (orderType === 'limit' && raw.price === undefined) add('price', 'is required for a limit order');
  if (raw.postOnly && orderType !== 'limit') add('postOnly', 'only applies to limit orders');
  if (raw.postOnly && (raw.timeInForce === 'IOC' || raw.timeInForce === 'FOK')) {
    add(
      'timeInForce',
      `${raw.timeInForce} cannot be combined with postOnly (a post-only order rests by definition)`,
    );
  }
  if (quantity !== undefined && quantityType.startsWith('percent') && quantity > 100) {
    add('quantity', `must be at most 100 when quantityType is ${quantityType}`);
  }

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    alert: withoutUndefined({
      idempotencyKey: raw.id,
      timestamp,
      account,
      symbol: symbol as string,
      action: raw.action,
      sentiment: raw.sentiment,
      orderType,
      price: raw.price,
      quantity,
      quantityType,
      positionSize: raw.positionSize,
      leverage: raw.leverage,
      marginMode: raw.marginMode,
      reduceOnly: raw.reduceOnly,
      postOnly: raw.postOnly,
      timeInForce: raw.timeInForce,
      takeProfit: raw.takeProfit,
      stopLoss: raw.stopLoss,
      maxLagSeconds: raw.maxLagSeconds,
      comment: raw.comment,
      meta: raw.meta,
    }),
  };
}

/** An alert must say what to do, and orders that open or add exposure must say how much. */
function checkIntent(
  raw: RawAlert,
  quantity: number | undefined,
  add: (path: string, message: string) => void,
): void {
  if (raw.action === undefined && raw.sentiment === undefined && raw.positionSize === undefined) {
    add('action', 'is required (or give sentiment or positionSize)');
    return;
  }
  const sizeFree =
    raw.positionSize !== undefined ||
    raw.action === 'close' ||
    raw.action === 'cancel' ||
    raw.action === 'reverse' ||
    raw.sentiment === 'flat';
  if (quantity === undefined && !sizeFree) {
    add('quantity', `is required for ${raw.action ?? raw.sentiment} (aliases: amount, contracts)`);
  }
  if (raw.action === 'cancel' && (raw.takeProfit || raw.stopLoss)) {
    add('action', 'cancel cannot carry takeProfit or stopLoss');
  }
}
