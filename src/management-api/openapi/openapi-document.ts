import type { ManagementRoute } from '../management-routes.js';
import type { OpenApiDocument } from './openapi-types.js';

/**
 * The OpenAPI 3.1 document of `routes` served under `basePath`. (Placeholder: filled in by the
 * OpenAPI work.) @internal
 */
export function buildOpenApiDocument(
  routes: readonly ManagementRoute[],
  options: { basePath: string },
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `${options.basePath}${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method.toLowerCase()] = { responses: {} };
  }
  return { openapi: '3.1.0', info: { title: 'keyward management API', version: '1' }, paths };
}
