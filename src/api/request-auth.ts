import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { type KeyAuthenticator, type Principal } from '../keys/key-authenticator';
import { type Role, roleAtLeast } from '../keys/roles';
import { ApiError, unauthorized } from './api-error';

/** Name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'th_session';

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parseCookies(header)[SESSION_COOKIE] || undefined;
}

/**
 * Who is calling: `Authorization: Bearer th_…` when present (then any cookie is ignored), else the session
 * cookie. Throws a 401 that never says why (the reason is in the error's details, for the log), or a 429.
 */
export async function authenticateRequest(req: Request, authenticator: KeyAuthenticator): Promise<Principal> {
  const header = req.get('authorization');
  let outcome;
  if (header !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) throw unauthorized('malformed_authorization');
    outcome = await authenticator.bearer(match[1]);
  } else {
    const token = sessionCookieOf(req);
    if (token === undefined) throw unauthorized('no_credentials');
    outcome = await authenticator.session(token);
  }
  if (outcome.ok) return outcome.principal;
  if (outcome.reason === 'rate_limited') {
    throw new ApiError(
      'rate_limited',
      `over this key's limit of ${outcome.principal.rateLimit.limit} requests a minute`,
      {
        headers: { 'Retry-After': String(outcome.retryAfterSeconds), ...rateLimitHeaders(outcome.principal) },
        details: { keyId: outcome.principal.keyId },
      },
    );
  }
  throw unauthorized(outcome.reason);
}

/** IETF draft RateLimit headers, so that clients can pace themselves. */
export function rateLimitHeaders(principal: Principal): Record<string, string> {
  const { limit, remaining, resetSeconds } = principal.rateLimit;
  return {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(remaining),
    'RateLimit-Reset': String(resetSeconds),
  };
}

/** 403 unless the caller's role reaches `minimum`. Only said after authentication succeeded. */
export function requireRole(principal: Principal, minimum: Role): void {
  if (!roleAtLeast(principal.role, minimum))
    throw new ApiError(
      'forbidden',
      `this needs a key with the ${minimum} role (this key is ${principal.role})`,
    );
}

/**
 * Cross-site request forgery guard: a write authenticated by the session cookie must carry an `Origin`
 * equal to this site's own (scheme and host as the client saw them: `X-Forwarded-Proto`/`-Host` count when
 * `TRUST_PROXY` trusts the proxy). SameSite=Strict already stops browsers from sending the cookie
 * cross-site; this also covers same-site subdomains and old browsers. Bearer requests need no Origin: a
 * browser never adds an Authorization header by itself.
 */
export function checkOrigin(req: Request, principal: Principal): void {
  if (principal.via !== 'session' || req.method === 'GET' || req.method === 'HEAD') return;
  const origin = req.get('origin');
  if (origin === undefined || origin !== ownOrigin(req))
    throw new ApiError(
      'forbidden',
      'a write through a session must come from this site (its Origin header)',
      {
        details: { reason: 'origin_mismatch' },
      },
    );
}

export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

/** Sets the rate-limit headers of an authenticated answer. */
export function setRateLimitHeaders(res: Response, principal: Principal): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(principal))) res.setHeader(name, value);
}
