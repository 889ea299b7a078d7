import { z } from 'zod';
import { type Exit } from './alert';
import { findPlaceholder } from './alert-placeholder';

/** The schemas of single alert fields (numbers, keywords, exits), for rawAlertSchema in alert-schema.ts. */

/**
 * A decimal number as text: `12`, `-0.5`, `.5`, `1e-3`. No hex/octal/binary (`Number("0x10")` is 16),
 * no `Infinity`, no inner blanks. Linear: no nested quantifier can match the same text twice.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A TradingView placeholder that reached us unreplaced means the alert is on the wrong kind of script. */
export function placeholderMessage(value: string): string {
  const placeholder = findPlaceholder(value) ?? '';
  return `TradingView did not replace ${placeholder}: check its spelling, and that {{strategy.*}} placeholders are used in a strategy's alert`;
}

/** A number, or a string holding one (TradingView sends `"{{close}}"` quoted). */
export function numeric(opts: { positive?: boolean; min?: number; max?: number } = {}) {
  return z.union([z.number(), z.string()], { error: 'must be a number' }).transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : undefined;
    if (text !== undefined && findPlaceholder(text) !== undefined) {
      ctx.issues.push({ code: 'custom', message: placeholderMessage(text), input: value });
      return z.NEVER;
    }
    const n = text === undefined ? value : DECIMAL.test(text) ? Number(text) : NaN;
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
export const booleanish = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false' })
  .transform((v) => v === true || v === 'true');

/** Case-insensitive enum with aliases: `{ exit: 'close' }`. */
export function keyword<T extends string>(values: readonly T[], aliases: Record<string, T> = {}) {
  const allowed = [...values, ...Object.keys(aliases)];
  return z.string().transform((raw, ctx): T => {
    const v = raw.trim().toLowerCase();
    if ((values as readonly string[]).includes(v)) return v as T;
    if (v in aliases) return aliases[v];
    ctx.issues.push({
      code: 'custom',
      message:
        findPlaceholder(v) !== undefined ? placeholderMessage(raw) : `must be one of: ${allowed.join(', ')}`,
      input: raw,
    });
    return z.NEVER;
  });
}

export const exitSchema = z
  .strictObject({
    price: numeric({ positive: true }).optional(),
    percent: numeric({ positive: true, max: 1000 }).optional(),
  })
  .refine((v) => (v.price === undefined) !== (v.percent === undefined), {
    message: 'must be { "price": n } or { "percent": n }',
  })
  .transform((v): Exit => (v.price !== undefined ? { price: v.price } : { percent: v.percent as number }));

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
