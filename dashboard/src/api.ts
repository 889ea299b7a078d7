/** The dashboard's only way to the server: `/api/v1` over the session cookie (never a stored key). */

export const API = '/api/v1';

export interface Issue {
  path: string;
  message: string;
}

/** An answer other than 2xx, with the API's `{ error, message, issues? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }

  /** A route this server does not have (not merged or turned off): the page says so instead of breaking. */
  get unavailable(): boolean {
    return this.status === 404 && this.message.startsWith('no route');
  }
}

/** Any failure as an ApiError, so the page shows it the one way (`Problem`). */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when any request answers 401: the session ended (expired, revoked, logged out elsewhere). */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // A non-JSON answer (a proxy's error page): reported below by status.
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: string; message?: string; issues?: Issue[] };
    const issues = e.issues ?? [];
    const message =
      e.message ?? (issues.length ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : res.statusText);
    const error = new ApiError(res.status, e.error ?? 'http_error', message, issues);
    if (res.status === 401 && path !== '/session') signedOutListeners.forEach((l) => l());
    throw error;
  }
  return json as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Query string from the set values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Role = 'viewer' | 'trader' | 'admin';

export interface Me {
  keyId: string;
  keyName: string;
  role: Role;
  via: 'bearer' | 'session';
  session: { expiresAt: string; idleExpiresAt: string } | null;
}

const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

/** Whether a role may use a control: the dashboard hides what the API would refuse anyway. */
export function can(me: Me | null, role: Role): boolean {
  return !!me && RANK[me.role] >= RANK[role];
}
