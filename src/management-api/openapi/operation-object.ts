import type { ManagementRoute } from '../management-route.js';
import type { RouteSchemas } from './document-schemas.js';
import type { JsonObject, JsonSchema } from './openapi-types.js';
import { problemResponseRef, problemStatuses } from './problem-responses.js';
import { ETAG_HEADER, LOCATION_HEADER } from './response-headers.js';
import { securityFor } from './security-schemes.js';

const JSON_MEDIA_TYPE = 'application/json';

/** The names of the `:name` segments of a route path. @internal */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string);
}

/** The OpenAPI form of a route path: `{name}` for `:name`. @internal */
export function templateOf(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** `schema` without the members `names` (those the path gives). */
function withoutMembers(schema: JsonSchema, names: readonly string[]): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema> | undefined) };
  for (const name of names) delete properties[name];
  const required = ((schema.required as string[] | undefined) ?? []).filter((name) => !names.includes(name));
  const { required: _required, ...rest } = schema;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

/** Path parameters, query parameters (list routes) and `If-Match` (account writes). */
function parametersOf(route: ManagementRoute, input: JsonSchema): JsonObject[] {
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((input.required as string[] | undefined) ?? []);
  const inPath = pathParameterNames(route.path);
  const parameters: JsonObject[] = inPath.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: properties[name] ?? { type: 'string' },
  }));
  if (route.query === true) {
    for (const [name, schema] of Object.entries(properties)) {
      if (!inPath.includes(name))
        parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  if (route.ifMatch === true) parameters.push({ $ref: '#/components/parameters/IfMatch' });
  return parameters;
}

/** The JSON body: the input's members but the path's, or the one input member it becomes. */
function requestBodyOf(route: ManagementRoute, input: JsonSchema): JsonObject | undefined {
  if (route.body === 'none') return undefined;
  let schema: JsonSchema;
  let required: boolean;
  if (route.body === 'input') {
    schema = withoutMembers(input, pathParameterNames(route.path));
    required = Array.isArray(schema.required);
  } else {
    schema = ((input.properties ?? {}) as Record<string, JsonSchema>)[route.body] ?? {};
    required = ((input.required as string[] | undefined) ?? []).includes(route.body);
  }
  return { required, content: { [JSON_MEDIA_TYPE]: { schema } } };
}

/** The success status of a route and its response. */
function successOf(route: ManagementRoute, output: JsonSchema | undefined): [string, JsonObject] {
  if (route.result === 'empty' || output === undefined) return ['204', { description: 'Done; no body.' }];
  const content = { [JSON_MEDIA_TYPE]: { schema: output } };
  switch (route.result) {
    case 'account':
      return [
        '200',
        {
          description: 'The service account; `ETag` is its version.',
          headers: { ETag: ETAG_HEADER },
          content,
        },
      ];
    case 'created_account':
      return [
        '201',
        {
          description: 'Created: the account, and its first key with its token when `firstKey` was given.',
          headers: { ETag: ETAG_HEADER, Location: LOCATION_HEADER },
          content,
        },
      ];
    case 'issued_key':
      return [
        '201',
        {
          description: 'Issued: the key, and its token (shown this once).',
          headers: { Location: LOCATION_HEADER },
          content,
        },
      ];
    default:
      return ['200', { description: 'OK', content }];
  }
}

/** What a reader needs beyond the summary: the permission, and the body or precondition rules. */
function descriptionOf(route: ManagementRoute): string {
  const lines = [route.caller ?? `Needs \`${route.action}\` (a person's session or an API key holding it).`];
  if (route.body !== 'none' && route.body !== 'input') {
    lines.push(`The body is the \`${route.body}\` member of the call's input.`);
  }
  if (route.ifMatch === true) {
    lines.push(
      '`If-Match` with the `ETag` read refuses a lost update with 412; the body may give `expectedVersion` instead (409).',
    );
  }
  return lines.join(' ');
}

/** The OpenAPI operation of `route`. @internal */
export function operationObject(route: ManagementRoute, schemas: RouteSchemas): JsonObject {
  const parameters = parametersOf(route, schemas.input);
  const requestBody = requestBodyOf(route, schemas.input);
  const [status, success] = successOf(route, schemas.output);
  const responses: Record<string, JsonObject> = { [status]: success };
  for (const problem of problemStatuses(route)) responses[String(problem)] = problemResponseRef(problem);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: descriptionOf(route),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody === undefined ? {} : { requestBody }),
    responses,
    // A person's session is the host's and not described here: a person-only route offers no
    // scheme (the description says who may call), rather than API keys it would refuse.
    ...(route.personOnly === true
      ? { 'x-keyward-caller': 'person' }
      : { security: securityFor(route.action) }),
  };
}
