/**
 * An OpenAPI 3.1 document, as JSON. Typed loosely on purpose: hosts serve it, merge it into their
 * own document, or hand it to a viewer; keyward builds it from the same zod schemas it validates with.
 */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly [key: string]: unknown };
  readonly paths: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** A JSON Schema (draft 2020-12), as plain JSON. @internal */
export type JsonSchema = { [keyword: string]: unknown };

/** An object of an OpenAPI document (an operation, a response...), as plain JSON. @internal */
export type JsonObject = { [member: string]: unknown };
