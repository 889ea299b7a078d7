import { type z } from 'zod';
import { type ValidationIssue } from '../signals/alert';
import { ApiError } from './api-error';

/** zod issues as the API answers them: one `{ path, message }` per problem, unknown fields by name. */
export function toIssues(zodIssues: readonly z.core.$ZodIssue[], root: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        issues.push({ path: [path, key].filter(Boolean).join('.'), message: 'unknown field' });
    } else {
      issues.push({ path: path || root, message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return issues;
}

/**
 * Parses one part of a request (`params`, `query`, `body`) or throws a 400 `invalid_request` listing every
 * problem; the path of each issue starts with the part's name (`body.name`, `query.limit`).
 */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError('invalid_request', `the request ${part} is not valid`, {
    issues: toIssues(result.error.issues, part),
  });
}

/**
 * The `since`/`until` of a listing as epoch ms (either may be absent), or a 400 naming `query.since` when
 * since lies after until: swapped bounds would otherwise answer an empty page that looks like "nothing".
 */
export function timeRange(query: { since?: string; until?: string }): { since?: number; until?: number } {
  const since = query.since === undefined ? undefined : Date.parse(query.since);
  const until = query.until === undefined ? undefined : Date.parse(query.until);
  if (since !== undefined && until !== undefined && since > until)
    throw new ApiError('invalid_request', 'since is after until', {
      issues: [{ path: 'query.since', message: 'must not be after until' }],
    });
  return { since, until };
}
