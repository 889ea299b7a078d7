import { type ZodOpenApiOperationObject } from 'zod-openapi';
import { type ApiRoute, type HttpMethod, isWrite } from './route';

/** Where the management API is mounted. */
export const API_BASE_PATH = '/api/v1';

/** An operation served outside the API router (the webhook, `/metrics`, `/ready`), documented only. */
export interface DocumentedOperation {
  method: HttpMethod;
  /** Absolute OpenAPI path, e.g. `/metrics` or `/webhook/{token}`. */
  path: string;
  operation: ZodOpenApiOperationObject;
}

/**
 * Every route of the management API, and the other operations `/openapi.json` describes. Adding a route
 * here is all it takes: the API router serves it, the OpenAPI document lists it, and the role table test
 * (test/integration/api/role-table.test.ts) refuses to pass until it has an example request.
 */
export class ApiRegistry {
  private readonly served: ApiRoute[] = [];
  private readonly extra: DocumentedOperation[] = [];

  add(...routes: ApiRoute[]): this {
    for (const route of routes) {
      const clash = this.served.find((r) => r.method === route.method && r.path === route.path);
      if (clash) throw new Error(`route ${route.method.toUpperCase()} ${route.path} is declared twice`);
      if (this.served.some((r) => r.operationId === route.operationId))
        throw new Error(`operationId ${route.operationId} is used twice`);
      if (isWrite(route.method) && !route.audit)
        throw new Error(`write route ${route.method.toUpperCase()} ${route.path} must name an audit action`);
      this.served.push(route);
    }
    return this;
  }

  /** Documents an operation that is served elsewhere. */
  document(...operations: DocumentedOperation[]): this {
    this.extra.push(...operations);
    return this;
  }

  routes(): readonly ApiRoute[] {
    return this.served;
  }

  documented(): readonly DocumentedOperation[] {
    return this.extra;
  }
}
