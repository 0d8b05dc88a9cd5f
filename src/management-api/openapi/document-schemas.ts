import type { z } from 'zod';
import type { ManagementRoute } from '../management-route.js';
import type { JsonSchema } from './openapi-types.js';
import { INPUT_COMPONENTS, RESULT_COMPONENTS, type SchemaComponent } from './schema-components.js';
import { jsonSchemasOf, SCHEMA_REF_PREFIX, type SchemaSide, schemaRef } from './zod-json-schema.js';

/** The JSON Schemas of one route: its whole call input, and a reference to its result. @internal */
export interface RouteSchemas {
  /** The call's input on its `input` side: path parameters, query and body members together. */
  readonly input: JsonSchema;
  /** `#/components/schemas/...` of the result; absent when nothing is sent. */
  readonly output: JsonSchema | undefined;
}

/** Every schema of a document: the reusable components and each route's own. @internal */
export interface DocumentSchemas {
  readonly components: Record<string, JsonSchema>;
  readonly routes: ReadonlyMap<ManagementRoute, RouteSchemas>;
}

/** Names of route inputs while they are converted; they never reach the document. */
const ROUTE_INPUT = 'RouteInput.';

const pascal = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}`;

/** Named components, by schema, and their descriptions. */
function namesOf(components: readonly SchemaComponent[]): Map<z.ZodType, string> {
  return new Map(components.map((component) => [component.schema, component.name]));
}

/** Adds `schema` under `name` unless it already has a name; returns its name. */
function nameOnce(names: Map<z.ZodType, string>, schema: z.ZodType, name: string): string {
  const known = names.get(schema);
  if (known !== undefined) return known;
  names.set(schema, name);
  return name;
}

/** Puts `schemas` into `into`; a name already there must hold the same schema. */
function mergeInto(into: Record<string, JsonSchema>, schemas: Record<string, JsonSchema>, side: SchemaSide) {
  for (const [name, schema] of Object.entries(schemas)) {
    if (name.startsWith(ROUTE_INPUT)) continue;
    const known = into[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`keyward: the ${name} schema differs on its ${side} side`);
    }
    into[name] = schema;
  }
}

/**
 * Converts the zod schemas of `routes` and of the named components, once for what clients send
 * (`input`) and once for what keyward answers (`output`). A route's result is a component (a
 * result without a name is named after its operation); a route's input stays the route's own, as
 * its members become parameters and body.
 *
 * @internal
 */
export function documentSchemas(routes: readonly ManagementRoute[]): DocumentSchemas {
  const outputs = namesOf(RESULT_COMPONENTS);
  const inputs = namesOf(INPUT_COMPONENTS);
  const named = new Map<ManagementRoute, { input: string; output: string | undefined }>();
  for (const route of routes) {
    const id = pascal(route.operationId);
    named.set(route, {
      input: nameOnce(inputs, route.input, `${ROUTE_INPUT}${id}`),
      output: route.output === undefined ? undefined : nameOnce(outputs, route.output, `${id}Result`),
    });
  }
  const sent = jsonSchemasOf(inputs, 'input');
  const answered = jsonSchemasOf(outputs, 'output');
  const components: Record<string, JsonSchema> = {};
  mergeInto(components, answered, 'output');
  mergeInto(components, sent, 'input');
  if (JSON.stringify(components).includes(`"${SCHEMA_REF_PREFIX}${ROUTE_INPUT}`)) {
    throw new Error('keyward: a route input schema is nested in another schema');
  }
  for (const { name, description } of [...RESULT_COMPONENTS, ...INPUT_COMPONENTS]) {
    components[name] = { description, ...components[name] };
  }
  const routeSchemas = new Map<ManagementRoute, RouteSchemas>();
  for (const [route, { input, output }] of named) {
    routeSchemas.set(route, {
      input: sent[input] as JsonSchema,
      output: output === undefined ? undefined : schemaRef(output),
    });
  }
  return { components, routes: routeSchemas };
}
