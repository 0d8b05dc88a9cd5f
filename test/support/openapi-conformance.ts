import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../src/management-api/index.js';

/** One request and its answer, as a client saw it. */
export interface Exchange {
  /** The request method, any case. */
  method: string;
  /** The concrete request path, base path included, maybe with a query string. */
  path: string;
  status: number;
  /** The `content-type` of the answer, or `null` when it has none. */
  contentType: string | null;
  /** The parsed JSON body; `null`, `undefined` or `''` when there is none. */
  body: unknown;
  /**
   * The answer's headers (any case), optional: when given, every header the document marks
   * `required` must be there and match its schema (`ETag`, `Location`, `WWW-Authenticate`...).
   */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
}

type JsonObject = Record<string, unknown>;

// ajv-formats is CommonJS: its plugin is the module itself or its `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The id under which the document's component schemas are known to ajv. */
const COMPONENTS_ID = 'urn:keyward:openapi-components';
const SCHEMA_PREFIX = '#/components/schemas/';

/** `value` with `#/components/schemas/X` references pointed at the components schema. */
function retargeted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retargeted);
  if (typeof value !== 'object' || value === null) return value;
  const copy: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    copy[key] =
      key === '$ref' && typeof member === 'string' && member.startsWith(SCHEMA_PREFIX)
        ? `${COMPONENTS_ID}#/$defs/${member.slice(SCHEMA_PREFIX.length)}`
        : retargeted(member);
  }
  return copy;
}

/** The object a local `$ref` of the document points to (responses, parameters). */
function dereferenced(document: OpenApiDocument, value: unknown): JsonObject {
  let current = value as JsonObject;
  for (let depth = 0; typeof current.$ref === 'string' && depth < 10; depth++) {
    let target: unknown = document;
    for (const token of (current.$ref as string).slice(2).split('/'))
      target = (target as JsonObject)?.[token];
    current = target as JsonObject;
  }
  return current;
}

/** Document path templates as matchers, literal segments preferred over parameters. */
function pathMatchers(document: OpenApiDocument) {
  return Object.keys(document.paths)
    .map((template) => {
      const parts = template.split('/');
      return { template, parts, literals: parts.filter((part) => !part.startsWith('{')).length };
    })
    .sort((a, b) => b.literals - a.literals);
}

/** The media type of a `content-type` value, without parameters, lowercase. */
const mediaTypeOf = (contentType: string) => (contentType.split(';')[0] as string).trim().toLowerCase();

/**
 * A checker of exchanges against `document`: finds the operation by matching the path (without
 * its query) against the path templates, then checks that the status is documented, that the
 * content type is the documented media type (parameters such as `charset` ignored), that the
 * body validates against its schema (ajv, JSON Schema 2020-12, with formats), and, when the
 * exchange has `headers`, that the documented required headers are there and valid. A response
 * without `content` (204) must have no body. Two answers the document cannot list per operation
 * are accepted when they are problems: 404 for a path no template matches, 405 for a method its
 * path does not document. Returns human-readable errors: empty when the exchange conforms.
 *
 * @example
 * ```ts
 * const check = createConformanceChecker(api.openapi);
 * expect(check({ method: 'GET', path: '/api/keyward/audit', status: 200, contentType, body })).toEqual([]);
 * ```
 */
export function createConformanceChecker(document: OpenApiDocument): (exchange: Exchange) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  const components = ((document.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: retargeted(components) as JsonObject });
  const compiled = new Map<unknown, ValidateFunction>();
  const validatorOf = (schema: unknown): ValidateFunction => {
    let validate = compiled.get(schema);
    if (validate === undefined) {
      validate = ajv.compile(retargeted(schema) as JsonObject);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const matchers = pathMatchers(document);
  const problemResponse: JsonObject = {
    description: 'an answer outside the operations',
    content: { 'application/problem+json': { schema: { $ref: `${SCHEMA_PREFIX}Problem` } } },
  };

  function checkHeaders(response: JsonObject, exchange: Exchange, errors: string[]): void {
    if (exchange.headers === undefined) return;
    const sent = new Map(
      Object.entries(exchange.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    for (const [name, documented] of Object.entries((response.headers ?? {}) as JsonObject)) {
      const header = dereferenced(document, documented);
      const value = sent.get(name.toLowerCase());
      if (value === undefined) {
        if (header.required === true) errors.push(`header ${name} is documented as required but missing`);
      } else if (header.schema !== undefined && !validatorOf(header.schema)(value)) {
        errors.push(`header ${name} does not match its schema: ${value}`);
      }
    }
  }

  function checkResponse(response: JsonObject, exchange: Exchange, errors: string[]): void {
    checkHeaders(response, exchange, errors);
    const content = response.content as Record<string, JsonObject> | undefined;
    const empty = exchange.body === null || exchange.body === undefined || exchange.body === '';
    if (content === undefined || Object.keys(content).length === 0) {
      if (!empty) errors.push(`the ${exchange.status} answer is documented without a body, but has one`);
      return;
    }
    if (exchange.contentType === null) {
      errors.push(`content-type is missing; documented: ${Object.keys(content).join(', ')}`);
      return;
    }
    const media = content[mediaTypeOf(exchange.contentType)];
    if (media === undefined) {
      errors.push(
        `content-type ${exchange.contentType} is not documented (${Object.keys(content).join(', ')})`,
      );
      return;
    }
    if (media.schema === undefined) return;
    const validate = validatorOf(media.schema);
    if (!validate(exchange.body)) {
      for (const error of validate.errors ?? []) {
        const params = JSON.stringify(error.params);
        errors.push(
          `body${error.instancePath} ${error.message ?? 'is invalid'} ${params} (${error.schemaPath})`,
        );
      }
    }
  }

  return (exchange) => {
    const method = exchange.method.toLowerCase();
    const pathname = exchange.path.split('?')[0] as string;
    const segments = pathname.split('/');
    const errors: string[] = [];
    const label = `${exchange.method.toUpperCase()} ${exchange.path} -> ${exchange.status}`;
    const match = matchers.find(
      ({ parts }) =>
        parts.length === segments.length &&
        parts.every((part, i) => (part.startsWith('{') ? segments[i] !== '' : part === segments[i])),
    );
    let response: JsonObject | undefined;
    if (match === undefined) {
      if (exchange.status !== 404) return [`${label}: no documented path matches ${pathname}`];
      response = problemResponse;
    } else {
      const operation = (document.paths[match.template] as JsonObject)[method] as JsonObject | undefined;
      if (operation === undefined) {
        if (exchange.status !== 405)
          return [`${label}: ${match.template} documents no ${method.toUpperCase()}`];
        response = problemResponse;
      } else {
        const responses = operation.responses as JsonObject;
        const documented =
          responses[String(exchange.status)] ??
          responses[`${String(exchange.status)[0]}XX`] ??
          responses.default;
        if (documented === undefined) {
          return [
            `${label}: status ${exchange.status} is not documented for ${method.toUpperCase()} ${match.template}`,
          ];
        }
        response = dereferenced(document, documented);
      }
    }
    checkResponse(response, exchange, errors);
    return errors.map((error) => `${label}: ${error}`);
  };
}
