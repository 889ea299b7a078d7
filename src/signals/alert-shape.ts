import { type ValidationIssue } from './alert';

/** Bounds on the shape of an alert body (`meta` included): what any real alert stays far inside. */
export interface AlertShapeLimits {
  /** Objects and arrays nested deeper than this are refused (the body itself is level 1). @defaultValue 8 */
  maxDepth: number;
  /** Arrays longer than this are refused. @defaultValue 100 */
  maxArrayLength: number;
}

export const ALERT_SHAPE_LIMITS: AlertShapeLimits = { maxDepth: 8, maxArrayLength: 100 };

/**
 * The first place where `body` exceeds the nesting or array bounds, as a validation issue naming it.
 * Runs before the schema so that no later step (zod, JSON serialisation, Redis's Lua, which refuses
 * deep nesting) meets an unbounded structure: such a body can never succeed, so it gets a 400, not the
 * 503 that would invite the sender to resend it. Recursion is bounded by `maxDepth`.
 */
export function shapeProblem(
  body: Record<string, unknown>,
  limits: AlertShapeLimits = ALERT_SHAPE_LIMITS,
): ValidationIssue | undefined {
  return visit(body, '', 1, limits);
}

function visit(
  value: unknown,
  path: string,
  depth: number,
  limits: AlertShapeLimits,
): ValidationIssue | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const where = path || '(body)';
  if (depth > limits.maxDepth) {
    return { path: where, message: `nests deeper than ${limits.maxDepth} levels` };
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayLength) {
      return { path: where, message: `must hold at most ${limits.maxArrayLength} items` };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = visit(value[i], `${path}.${i}`, depth + 1, limits);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const problem = visit(
      (value as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
      depth + 1,
      limits,
    );
    if (problem) return problem;
  }
  return undefined;
}
