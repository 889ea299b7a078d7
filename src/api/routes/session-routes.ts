import { serialize } from 'cookie';
import { z } from 'zod';
import { type KeyAuthenticator } from '../../keys/key-authenticator';
import { type KeyStore } from '../../keys/key-store';
import { ROLES } from '../../keys/roles';
import { type SessionStore } from '../../keys/session-store';
import { ApiError, unauthorized } from '../api-error';
import { SESSION_COOKIE, ownOrigin } from '../request-auth';
import { type ApiRoute, defineRoute } from '../route';

export interface SessionRoutesOptions {
  authenticator: KeyAuthenticator;
  store: KeyStore;
  sessions: SessionStore;
}

const whoAmI = z
  .object({
    keyId: z.string(),
    keyName: z.string(),
    role: z.enum(ROLES),
    via: z.enum(['bearer', 'session']),
    session: z
      .object({
        expiresAt: z.iso.datetime().meta({ description: 'The absolute end: sign in again after it.' }),
        idleExpiresAt: z.iso.datetime().meta({ description: 'When it ends unless used before.' }),
      })
      .nullable(),
  })
  .meta({ id: 'WhoAmI' });

const cookie = (value: string, maxAgeSeconds: number) =>
  serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    maxAge: maxAgeSeconds,
  });

/** `POST/GET/DELETE /session`: the dashboard exchanges an API key for an HttpOnly session cookie. */
export function sessionRoutes(options: SessionRoutesOptions): ApiRoute[] {
  const signIn = defineRoute({
    method: 'post',
    path: '/session',
    operationId: 'createSession',
    summary: 'Sign in: exchange an API key for a session cookie',
    description:
      'Answers `Set-Cookie: th_session=…; HttpOnly; Secure; SameSite=Strict`. The key itself is never stored ' +
      'in the browser. The session ends after 12 h unused, 7 days after sign-in, or at once when the key is ' +
      'revoked or expires.',
    tags: ['session'],
    access: 'public',
    body: z.strictObject({ apiKey: z.string().max(300) }).meta({ id: 'SignIn' }),
    responses: {
      204: { description: 'Signed in; the cookie is set.' },
      401: { description: 'Not a valid API key.' },
      403: { description: 'Sent from another site (Origin).' },
      429: { description: "Over the key's rate limit." },
    },
    audit: { action: 'session.create' },
    async handler({ body, req, now }) {
      const origin = req.get('origin');
      if (origin !== undefined && origin !== ownOrigin(req))
        throw new ApiError('forbidden', 'sign in from this site only (Origin header)');
      const outcome = await options.authenticator.bearer(body.apiKey);
      if (!outcome.ok) {
        if (outcome.reason === 'rate_limited')
          throw new ApiError('rate_limited', "over this key's rate limit", {
            headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
          });
        throw unauthorized(outcome.reason);
      }
      const { principal } = outcome;
      const record = await options.store.get(principal.keyId);
      const { token, session } = await options.sessions.create({
        keyId: principal.keyId,
        now,
        keyExpiresAt: record?.expiresAt,
      });
      return {
        status: 204,
        headers: { 'Set-Cookie': cookie(token, Math.floor((session.expiresAt - now) / 1000)) },
        audit: {
          actor: { keyId: principal.keyId, keyName: principal.keyName, via: 'session' },
          target: `key:${principal.keyId}`,
        },
      };
    },
  });

  const show = defineRoute({
    method: 'get',
    path: '/session',
    operationId: 'getSession',
    summary: 'Who am I: the calling key, its role, and the session expiry',
    tags: ['session'],
    access: 'viewer',
    responses: { 200: { description: 'The caller.', schema: whoAmI } },
    async handler({ principal }) {
      const { session } = principal;
      return {
        status: 200,
        body: {
          keyId: principal.keyId,
          keyName: principal.keyName,
          role: principal.role,
          via: principal.via,
          session: session
            ? {
                expiresAt: new Date(session.expiresAt).toISOString(),
                idleExpiresAt: new Date(session.idleExpiresAt).toISOString(),
              }
            : null,
        },
      };
    },
  });

  const signOut = defineRoute({
    method: 'delete',
    path: '/session',
    operationId: 'deleteSession',
    summary: 'Sign out: end this session and clear the cookie',
    tags: ['session'],
    access: 'viewer',
    responses: { 204: { description: 'Signed out (a bearer caller has no session: nothing changes).' } },
    audit: { action: 'session.delete' },
    async handler({ principal }) {
      if (principal.session) await options.sessions.destroy(principal.session.token, principal.keyId);
      return {
        status: 204,
        headers: { 'Set-Cookie': cookie('', 0) },
        audit: { target: `key:${principal.keyId}` },
      };
    },
  });

  return [signIn, show, signOut];
}
