import { type Request } from 'express';
import { type z } from 'zod';
import { type AuditActor } from '../audit/audit-log';
import { type Principal } from '../keys/key-authenticator';
import { type Role } from '../keys/roles';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone (`public`), or a key with at least this role. */
export type Access = 'public' | Role;

export interface ResponseSpec {
  description: string;
  /** The body; none for e.g. 204. */
  schema?: z.ZodType;
  /** The body's media type. @defaultValue application/json */
  mediaType?: string;
}

/** What a request part validated by `S` holds (undefined when the route declares no schema for it). */
export type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: the validated request, who is calling, and the request's clock reading. */
export interface RouteContext<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Always set on protected routes; a public route has none. */
  principal: A extends 'public' ? undefined : Principal;
  requestId: string;
  /** Epoch ms when the request was taken up (the injected clock in tests). */
  now: number;
  /** The raw request, for the rare route that needs more (cookies, origin). */
  req: Request;
}

/** A handler's answer. The router sends it as JSON (none for 204) and audits writes with it. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  /**
   * Audit details known only after the handler ran (the id of a created key; a public route's actor; the
   * action, when one route does two things: `signal.submit` or `signal.dry_run`).
   */
  audit?: { target?: string; actor?: AuditActor; action?: string };
  /** The handler answered on the raw response itself (a stream): the router sends nothing. */
  streamed?: boolean;
}

/**
 * One management API route, declared once: it is served (validation, authentication, role, audit) and
 * documented in `/openapi.json` from this same declaration.
 */
export interface RouteSpec<
  A extends Access,
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> {
  method: HttpMethod;
  /** Express path under `/api/v1`, e.g. `/keys/:id`. */
  path: string;
  /** Stable OpenAPI operation id, e.g. `createKey` (Postman and generated clients name calls by it). */
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: A;
  /** Strict zod objects: an unknown field is refused by name. */
  params?: P;
  query?: Q;
  body?: B;
  /** Success answers by status (errors are documented by the framework, plus any listed here). */
  responses: Record<number, ResponseSpec>;
  /** Every write must name its audit action (`key.create`); `target` from the path, when it names one. */
  audit?: { action: string; target?: (params: Out<P>) => string };
  handler(ctx: RouteContext<A, Out<P>, Out<Q>, Out<B>>): Promise<RouteResult>;
}

/** A route with its types erased, as the registry keeps it. */
export type ApiRoute = Omit<RouteSpec<Access, z.ZodObject, z.ZodObject, z.ZodType>, 'handler' | 'audit'> & {
  audit?: { action: string; target?: (params: unknown) => string };
  handler(ctx: RouteContext<Access, unknown, unknown, unknown>): Promise<RouteResult>;
};

/** Declares a route with its types checked; the registry stores it type-erased. */
export function defineRoute<
  A extends Access,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B>): ApiRoute {
  // The router validates params/query/body with these very schemas before calling the handler, so the
  // erased handler is only ever called with the types it was checked against.
  return spec as unknown as ApiRoute;
}

export function isWrite(method: HttpMethod): boolean {
  return method !== 'get';
}
