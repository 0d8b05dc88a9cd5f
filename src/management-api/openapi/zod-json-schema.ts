import { z } from 'zod';
import type { JsonSchema } from './openapi-types.js';

/** Where the document keeps its reusable schemas. @internal */
export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** A reference to the component schema `name`. @internal */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `${SCHEMA_REF_PREFIX}${name}` };
}

/**
 * Which side of a schema to describe: `input` is what a client may send (a member with a default
 * is optional, a transform is described by what it accepts); `output` is what keyward answers.
 *
 * @internal
 */
export type SchemaSide = 'input' | 'output';

/**
 * The JSON form of what JSON Schema cannot say by itself: a `Date` travels as its ISO 8601 text
 * (`JSON.stringify`); anything else unrepresentable (a transform's result) accepts any value.
 */
const unrepresentable = ({
  zodSchema,
}: {
  zodSchema: z.core.$ZodTypes;
}): z.core.JSONSchema.JSONSchema | 'any' =>
  zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'any';

/**
 * Adjusts what zod derives to what the schema really accepts on `side`: a string trimmed before
 * its length is checked (a name) may be longer than its limit as sent, so the limit is not a
 * `maxLength` of the input.
 */
function adjust(side: SchemaSide) {
  return ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }) => {
    const def = zodSchema._zod.def;
    if (side !== 'input' || def.type !== 'string' || jsonSchema.maxLength === undefined) return;
    if (!(def.checks ?? []).some((check) => check._zod.def.check === 'overwrite')) return;
    jsonSchema.description ??= `At most ${jsonSchema.maxLength} characters once trimmed.`;
    delete jsonSchema.maxLength;
  };
}

/**
 * JSON Schemas (draft 2020-12, the dialect of OpenAPI 3.1) of named zod schemas, described on
 * `side`. A named schema nested in another becomes a `$ref` to its component; every other one is
 * written inline. Returns one schema per name, without `$schema` or `$id`.
 *
 * @internal
 */
export function jsonSchemasOf(
  named: ReadonlyMap<z.ZodType, string>,
  side: SchemaSide,
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, name] of named) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: side,
    unrepresentable,
    override: adjust(side),
    uri: (id) => `${SCHEMA_REF_PREFIX}${id}`,
  });
  const result: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    result[name] = rest;
  }
  return result;
}
