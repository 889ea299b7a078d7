import { type z } from 'zod';
import { editDistance } from '../util/edit-distance';
import { type ValidationIssue } from './alert';

/**
 * zod's issues as the alert's validation issues (docs/api.md), with a "did you mean" for a mistyped field.
 * `knownFields` are the alert's field names, the candidates of the suggestion.
 */
export function toIssues(zodIssues: z.core.$ZodIssue[], knownFields: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = base ? `${base}.${key}` : key;
        const hint = base ? '' : suggest(key, knownFields);
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

/** Field names other bots use, mapped to ours. A Map: a plain object would answer `constructor` too. */
const FOREIGN_NAMES = new Map<string, string>([
  ['qty', 'quantity'],
  ['size', 'quantity'],
  ['side', 'action'],
  ['tp', 'takeProfit'],
  ['sl', 'stopLoss'],
  ['order_type', 'type'],
  ['time_in_force', 'timeInForce'],
  ['reduce_only', 'reduceOnly'],
  ['post_only', 'postOnly'],
  ['position_size', 'positionSize'],
]);

/** "did you mean" for a mistyped top-level field: known foreign names first, then edit distance. */
function suggest(key: string, knownFields: readonly string[]): string {
  // No field name is long; a long unknown key is nothing mistyped, and costs edit distance for nothing.
  if (key.length > 40) return '';
  const foreign = FOREIGN_NAMES.get(key.toLowerCase());
  if (foreign) return ` (did you mean "${foreign}"?)`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of knownFields) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best && bestDistance <= Math.max(1, Math.floor(key.length / 3))) {
    return ` (did you mean "${best}"?)`;
  }
  return '';
}
