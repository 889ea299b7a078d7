import { z } from 'zod';
import { editDistance } from '../util/edit-distance';
import {
  ACTIONS,
  type Action,
  type Alert,
  type Exit,
  QUANTITY_TYPES,
  type Sentiment,
  type ValidationIssue,
} from './alert';
import { parseTimestamp } from './timestamp';

const PLACEHOLDER = /\{\{[^}]*\}\}/;

/** A TradingView placeholder that reached us unreplaced means the alert is on the wrong kind of script. */
function placeholderMessage(value: string): string {
  const placeholder = PLACEHOLDER.exec(value)?.[0] ?? '';
  return `TradingView did not replace ${placeholder}: check its spelling, and that {{strategy.*}} placeholders are used in a strategy's alert`;
}

/** A number, or a string holding one (TradingView sends `"{{close}}"` quoted). */
function numeric(opts: { positive?: boolean; min?: number; max?: number } = {}) {
  return z.union([z.number(), z.string()], { error: 'must be a number' }).transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : undefined;
    if (text !== undefined && PLACEHOLDER.test(text)) {
      ctx.issues.push({ code: 'custom', message: placeholderMessage(text), input: value });
      return z.NEVER;
    }
    const n = text === undefined ? value : text === '' ? NaN : Number(text);
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      ctx.issues.push({ code: 'custom', message: 'must be a number', input: value });
      return z.NEVER;
    }
    if (opts.positive && n <= 0)
      ctx.issues.push({ code: 'custom', message: 'must be greater than 0', input: value });
    if (opts.min !== undefined && n < opts.min) {
      ctx.issues.push({ code: 'custom', message: `must be at least ${opts.min}`, input: value });
    }
    if (opts.max !== undefined && n > opts.max) {
      ctx.issues.push({ code: 'custom', message: `must be at most ${opts.max}`, input: value });
    }
    return n;
  });
}

/** `true`/`false`, also as strings. */
const booleanish = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false' })
  .transform((v) => v === true || v === 'true');

/** Case-insensitive enum with aliases: `{ exit: 'close' }`. */
function keyword<T extends string>(values: readonly T[], aliases: Record<string, T> = {}) {
  const allowed = [...values, ...Object.keys(aliases)];
  return z.string().transform((raw, ctx): T => {
    const v = raw.trim().toLowerCase();
    if ((values as readonly string[]).includes(v)) return v as T;
    if (v in aliases) return aliases[v];
    ctx.issues.push({
      code: 'custom',
      message: PLACEHOLDER.test(v) ? placeholderMessage(raw) : `must be one of: ${allowed.join(', ')}`,
      input: raw,
    });
    return z.NEVER;
  });
}

const exitSchema = z
  .strictObject({
    price: numeric({ positive: true }).optional(),
    percent: numeric({ positive: true, max: 1000 }).optional(),
  })
  .refine((v) => (v.price === undefined) !== (v.percent === undefined), {
    message: 'must be { "price": n } or { "percent": n }',
  })
  .transform((v): Exit => (v.price !== undefined ? { price: v.price } : { percent: v.percent as number }));

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/**
 * The alert body, schema v1 (docs/contract.md "The alert"). Aliases are separate keys here so that a
 * body using both spellings is refused instead of silently preferring one; unknown keys are refused by
 * name because a typo (`qty`) must never trade a default size.
 */
const rawAlertSchema = z.strictObject({
  token: z.string().optional(),
  passphrase: z.string().optional(),
  id: z.union([text(128), z.number().transform(String)]).optional(),
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
  const parsed = rawAlertSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error.issues) };
  const raw = parsed.data;
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  for (const [first, ...others] of ALIAS_GROUPS) {
    const present = [first, ...others].filter((k) => raw[k] !== undefined);
    if (present.length > 1) add(present[1], `use only one of: ${present.join(', ')}`);
  }

  const symbol = raw.symbol ?? raw.ticker;
  if (symbol === undefined) add('symbol', 'is required (alias: ticker)');
  else if (PLACEHOLDER.test(symbol)) add('symbol', placeholderMessage(symbol));
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
    alert: dropUndefined({
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

function toIssues(zodIssues: z.core.$ZodIssue[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = base ? `${base}.${key}` : key;
        const hint = base ? '' : suggest(key);
        issues.push({
          path,
          message: `unknown field${hint}; free-form data belongs under "meta"`,
        });
      }
    } else if (issue.code === 'invalid_union' && (base.endsWith('takeProfit') || base.endsWith('stopLoss'))) {
      issues.push({ path: base, message: 'must be { "price": n } or { "percent": n }' });
    } else {
      issues.push({ path: base || '(body)', message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return issues;
}

/** Field names other bots use, mapped to ours. */
const FOREIGN_NAMES: Record<string, string> = {
  qty: 'quantity',
  size: 'quantity',
  side: 'action',
  tp: 'takeProfit',
  sl: 'stopLoss',
  order_type: 'type',
  time_in_force: 'timeInForce',
  reduce_only: 'reduceOnly',
  post_only: 'postOnly',
  position_size: 'positionSize',
};

/** "did you mean" for a mistyped top-level field: known foreign names first, then edit distance. */
function suggest(key: string): string {
  const foreign = FOREIGN_NAMES[key.toLowerCase()];
  if (foreign) return ` (did you mean "${foreign}"?)`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of KNOWN_FIELDS) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best && bestDistance <= Math.max(1, Math.floor(key.length / 3))) {
    return ` (did you mean "${best}"?)`;
  }
  return '';
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
