/**
 * Roles of management API keys, weakest first. Each role can do everything the ones before it can:
 * - `viewer`: read only.
 * - `trader`: a viewer's reads, plus acting on trading (signals, retries, pause/resume, subscriptions).
 * - `admin`: everything, including API keys and the audit log.
 */
export const ROLES = ['viewer', 'trader', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `minimum` may. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
