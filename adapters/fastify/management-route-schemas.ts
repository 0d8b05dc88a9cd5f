import type { FastifySchema } from 'fastify';
import type { ManagementApi } from '../../src/entries/http.js';
import { operationSchemas } from '../../src/management-api/openapi/operation-schemas.js';

/** One route of the management API as Fastify registers it. @internal */
export interface ManagementRouteSchema {
  /** Uppercase HTTP method. */
  readonly method: string;
  /** The path relative to the base path, in Fastify's syntax (`/keys/:keyId`). */
  readonly path: string;
  /** The route's schema from the OpenAPI document: documentation only, never compiled. */
  readonly schema: FastifySchema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The routes the OpenAPI document of `api` describes, each with its schema: what the document
 * lists is what the plugin registers.
 *
 * @internal
 */
export function managementRouteSchemas(api: ManagementApi<unknown>): ManagementRouteSchema[] {
  const routes: ManagementRouteSchema[] = [];
  for (const [template, item] of Object.entries(api.openapi.paths)) {
    const relative = template.startsWith(`${api.basePath}/`) ? template.slice(api.basePath.length) : template;
    const path = relative.replace(/\{([^}/]+)\}/g, ':$1');
    for (const method of METHODS) {
      if ((item as Record<string, unknown>)[method] === undefined) continue;
      const schema = operationSchemas(api.openapi, method, template) as FastifySchema;
      routes.push({ method: method.toUpperCase(), path, schema });
    }
  }
  return routes;
}
