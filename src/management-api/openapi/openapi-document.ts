import type { ManagementRoute } from '../management-route.js';
import { documentSchemas, type RouteSchemas } from './document-schemas.js';
import type { JsonObject, OpenApiDocument } from './openapi-types.js';
import { operationObject, templateOf } from './operation-object.js';
import { problemResponseComponents } from './problem-responses.js';
import { SECURITY_SCHEMES } from './security-schemes.js';

/** Where every mount serves the document, relative to the base path. @internal */
export const OPENAPI_PATH = '/openapi.json';

const DESCRIPTION = [
  "Service accounts, their API keys and the audit trail of one tenant: the caller's.",
  '',
  "A request acts for the person the host's session names or, without one, for the API key it carries (`Authorization: Bearer` or `x-api-key`), within that key's own rights. Every call is authorized again on its target.",
  '',
  'Bodies are JSON (`application/json`), 64 KiB at most unless the host says otherwise. Timestamps are ISO 8601 strings in UTC. Service account answers carry an `ETag`; writes accept `If-Match`. Every refusal is an RFC 9457 problem (`application/problem+json`) with a stable `code`.',
].join('\n');

const TAGS = [
  { name: 'Caller', description: 'Who the caller is, and the workspaces and datasets it may pick from.' },
  { name: 'Service accounts', description: 'Machine identities bound to one workspace.' },
  { name: 'API keys', description: 'The keys a service account owns; a token is shown only once.' },
  {
    name: 'Personal keys',
    description: "A person's own keys: bound to one workspace, within the person's live rights.",
  },
  { name: 'Audit', description: 'Every change and every refused change.' },
  { name: 'Document', description: 'This document.' },
];

/** `If-Match` of account writes, as `components.parameters.IfMatch`. */
const IF_MATCH: JsonObject = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The `ETag` of the version the change is based on (`"3"`), or `*`. Any other version, a weak tag or a list is refused with 412.',
  schema: { type: 'string' },
};

/** The operation serving this document: unauthenticated, as it describes routes, never data. */
const DOCUMENT_OPERATION: JsonObject = {
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI document',
  tags: ['Document'],
  security: [],
  responses: {
    '200': {
      description: 'The OpenAPI 3.1 document of these routes.',
      content: {
        'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of `routes` served under `basePath`: every operation with its
 * parameters, JSON body, success and problem responses, built from the zod schemas the calls
 * validate with and the schemas of their results. @internal
 */
export function buildOpenApiDocument(
  routes: readonly ManagementRoute[],
  options: { basePath: string },
): OpenApiDocument {
  const schemas = documentSchemas(routes);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = `${options.basePath}${templateOf(route.path)}`;
    paths[path] ??= {};
    (paths[path] as Record<string, JsonObject>)[route.method.toLowerCase()] = operationObject(
      route,
      schemas.routes.get(route) as RouteSchemas,
    );
  }
  paths[`${options.basePath}${OPENAPI_PATH}`] = { get: DOCUMENT_OPERATION };
  return {
    openapi: '3.1.0',
    info: { title: 'keyward management API', version: '1', description: DESCRIPTION },
    tags: TAGS,
    paths,
    components: {
      schemas: schemas.components,
      responses: problemResponseComponents(),
      parameters: { IfMatch: IF_MATCH },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
