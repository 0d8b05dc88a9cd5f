import type { JsonObject, JsonSchema, OpenApiDocument } from './openapi-types.js';

/**
 * The JSON Schemas of one operation, each self-contained (every `$ref` written out), in the shape
 * Fastify takes as a route's `schema`. `response` is keyed by status and holds only answers with a
 * body (a 204 has none).
 *
 * @internal
 */
export interface OperationSchemas {
  /** The path parameters, as one object. */
  params?: JsonSchema | undefined;
  /** The query parameters, as one object (unknown members are refused, as the call refuses them). */
  querystring?: JsonSchema | undefined;
  /** The JSON request body. */
  body?: JsonSchema | undefined;
  /** Each answer's body, by status: the success and every problem the operation can answer. */
  response: Record<string, JsonSchema>;
}

/** Annotations a `$ref`'s siblings may carry without changing what the schema accepts. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** The value at a local JSON pointer (`#/components/schemas/Name`) of `document`. */
function pointed(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`keyward: only local references are resolved, not ${ref}`);
  let value: unknown = document;
  for (const token of ref.slice(2).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    value = typeof value === 'object' && value !== null ? (value as JsonObject)[key] : undefined;
  }
  if (value === undefined) throw new Error(`keyward: ${ref} does not exist`);
  return value;
}

/** `value` with every `$ref` replaced by what it points to; refuses a cycle. */
function inlined(document: OpenApiDocument, value: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => inlined(document, item, seen));
  if (typeof value !== 'object' || value === null) return value;
  const { $ref, ...siblings } = value as JsonObject;
  const rest: JsonObject = {};
  for (const [key, member] of Object.entries(siblings)) rest[key] = inlined(document, member, seen);
  if (typeof $ref !== 'string') return rest;
  if (seen.includes($ref)) throw new Error(`keyward: ${$ref} refers to itself`);
  const target = inlined(document, pointed(document, $ref), [...seen, $ref]) as JsonObject;
  if (Object.keys(rest).every((key) => ANNOTATIONS.has(key))) return { ...target, ...rest };
  return { allOf: [target], ...rest };
}

/** One object schema of the parameters `in` a location. */
function parametersIn(parameters: JsonObject[], location: 'path' | 'query'): JsonSchema | undefined {
  const chosen = parameters.filter((parameter) => parameter.in === location);
  if (chosen.length === 0) return undefined;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const parameter of chosen) {
    const name = parameter.name as string;
    properties[name] = parameter.schema ?? {};
    if (parameter.required === true) required.push(name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(location === 'query' ? { additionalProperties: false } : {}),
  };
}

/** The schema of the first JSON media type of a `content` map. */
function jsonContentSchema(content: unknown): JsonSchema | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  for (const [mediaType, media] of Object.entries(content as JsonObject)) {
    if (/^application\/(?:[\w.+-]+\+)?json$/.test(mediaType))
      return (media as JsonObject).schema as JsonSchema;
  }
  return undefined;
}

/**
 * The schemas of the operation `method pathTemplate` of `document` (`pathTemplate` is the
 * document's path key: base path included, `{id}` parameters), every reference written out, for
 * a mount that attaches them to its framework's route. They describe what the management API
 * accepts and answers; it still validates every input itself, with the zod schemas they come from.
 * Throws `Error` when the document has no such operation.
 *
 * @example
 * ```ts
 * const { params, body, response } = operationSchemas(api.openapi, 'POST', '/admin/service-accounts');
 * ```
 *
 * @internal
 */
export function operationSchemas(
  document: OpenApiDocument,
  method: string,
  pathTemplate: string,
): OperationSchemas {
  const pathItem = document.paths[pathTemplate] as JsonObject | undefined;
  const operation = pathItem?.[method.toLowerCase()] as JsonObject | undefined;
  if (operation === undefined)
    throw new Error(`keyward: no operation ${method} ${pathTemplate} in the document`);
  const resolved = inlined(document, operation) as JsonObject;
  const parameters = (resolved.parameters ?? []) as JsonObject[];
  const schemas: OperationSchemas = { response: {} };
  const params = parametersIn(parameters, 'path');
  if (params !== undefined) schemas.params = params;
  const querystring = parametersIn(parameters, 'query');
  if (querystring !== undefined) schemas.querystring = querystring;
  const body = jsonContentSchema((resolved.requestBody as JsonObject | undefined)?.content);
  if (body !== undefined) schemas.body = body;
  for (const [status, response] of Object.entries((resolved.responses ?? {}) as JsonObject)) {
    const schema = jsonContentSchema((response as JsonObject).content);
    if (schema !== undefined) schemas.response[status] = schema;
  }
  return schemas;
}
