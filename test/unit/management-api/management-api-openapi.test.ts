import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../../src/management-api/management-routes.js';
import type { OpenApiDocument } from '../../../src/management-api/openapi/openapi-types.js';
import { templateOf } from '../../../src/management-api/openapi/operation-object.js';
import { operationSchemas } from '../../../src/management-api/openapi/operation-schemas.js';
import { managementApiSetup } from '../../support/management-api-client.js';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: the test walks OpenAPI JSON whose shape it then checks
type Loose = Record<string, any>;

const endpointsBaseUrl = (workspaceId: string) => `https://api.acme.test/workspaces/${workspaceId}`;
const VARIANTS = [
  { basePath: '', endpointsBaseUrl: undefined },
  { basePath: '', endpointsBaseUrl },
  { basePath: '/api/keyward', endpointsBaseUrl: undefined },
  { basePath: '/api/keyward', endpointsBaseUrl },
] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** A directory, given with `endpointsBaseUrl`: the variants with it list every optional route. */
const directory = { workspaces: () => [], datasets: () => null };

function documentOf(variant: (typeof VARIANTS)[number]): OpenApiDocument {
  const options =
    variant.endpointsBaseUrl === undefined ? {} : { endpointsBaseUrl: variant.endpointsBaseUrl, directory };
  return managementApiSetup({ basePath: variant.basePath, ...options }).api.openapi;
}

/** Every operation of the document as `[method, path, operation]`. */
function operationsOf(document: OpenApiDocument): [string, string, Loose][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]): [string, string, Loose] => [method, path, operation as Loose]),
  );
}

/** Every value of `key` anywhere in `value`. */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, member]) => [
    ...(name === key ? [member] : []),
    ...valuesOf(member, key),
  ]);
}

describe.each(VARIANTS)('the OpenAPI document (basePath "$basePath")', (variant) => {
  const document = documentOf(variant);
  const routes = MANAGEMENT_ROUTES.filter(
    (route) => route.needs === undefined || variant.endpointsBaseUrl !== undefined,
  );

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as Json);
    expect(result.errors).toBeUndefined();
    expect([result.valid, validator.version]).toEqual([true, '3.1']);
  });

  it('lists every route under the base path, and openapi.json, each once with its own operationId', () => {
    const listed = operationsOf(document).map(([method, path]) => `${method.toUpperCase()} ${path}`);
    const expected = routes.map((route) => `${route.method} ${variant.basePath}${templateOf(route.path)}`);
    expect(listed.sort()).toEqual([...expected, `GET ${variant.basePath}/openapi.json`].sort());
    const ids = operationsOf(document).map(([, , operation]) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(document.paths).every((path) => path.startsWith(`${variant.basePath}/`))).toBe(true);
  });

  it('resolves every $ref, and every schema is a valid JSON Schema 2020-12', () => {
    for (const ref of valuesOf(document, '$ref') as string[]) {
      let target: unknown = document;
      for (const token of ref.slice(2).split('/')) target = (target as Json | undefined)?.[token];
      expect([ref, target === undefined]).toEqual([ref, false]);
    }
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schemas = [
      ...Object.values((document.components as Loose).schemas),
      ...valuesOf(document.paths, 'schema'),
    ];
    for (const schema of schemas) expect(ajv.validateSchema(schema as Json)).toBe(true);
  });
});

describe('the OpenAPI validator', () => {
  it('refuses a document with a dangling $ref or a malformed parameter', async () => {
    const dangling = structuredClone(documentOf(VARIANTS[0])) as Loose;
    delete dangling.components.schemas.ApiKey;
    expect((await new Validator().validate(dangling)).valid).toBe(false);
    const malformed = structuredClone(documentOf(VARIANTS[0])) as Loose;
    malformed.paths['/catalog'].get.parameters[0].in = 'body';
    expect((await new Validator().validate(malformed)).valid).toBe(false);
  });
});

describe('what the document says of each route', () => {
  const document = documentOf(VARIANTS[3]);
  const operation = (method: string, path: string) =>
    (document.paths[`/api/keyward${path}`] as Loose)[method] as Loose;

  it('documents If-Match and 412 on exactly the routes that honour If-Match', () => {
    for (const route of MANAGEMENT_ROUTES) {
      const op = operation(route.method.toLowerCase(), templateOf(route.path));
      const ifMatch = (op.parameters ?? []).some((p: Loose) => p.$ref === '#/components/parameters/IfMatch');
      expect([route.operationId, ifMatch, '412' in op.responses]).toEqual([
        route.operationId,
        route.ifMatch === true,
        route.ifMatch === true,
      ]);
    }
  });

  it('takes a JSON body exactly where the route does, and the new key as the issue body', () => {
    for (const route of MANAGEMENT_ROUTES) {
      const op = operation(route.method.toLowerCase(), templateOf(route.path));
      const media = op.requestBody === undefined ? [] : Object.keys(op.requestBody.content);
      expect([route.operationId, media]).toEqual([
        route.operationId,
        route.body === 'none' ? [] : ['application/json'],
      ]);
    }
    const issue = operation('post', '/service-accounts/{serviceAccountId}/keys');
    expect(issue.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/NewKey' } } },
    });
    const create = operation('post', '/service-accounts').requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['workspaceId', 'name', 'roles']);
    const patch = operation('patch', '/service-accounts/{id}').requestBody.content['application/json'].schema;
    expect(Object.keys(patch.properties)).not.toContain('id');
  });

  it('takes the list filters as query parameters and the path members as path parameters', () => {
    const names = (op: Loose, where: string) =>
      (op.parameters as Loose[]).filter((p) => p.in === where).map((p) => p.name);
    expect(names(operation('get', '/service-accounts'), 'query')).toEqual([
      'workspaceId',
      'status',
      'limit',
      'cursor',
    ]);
    expect(names(operation('get', '/audit'), 'query')).toEqual([
      'workspaceId',
      'targetId',
      'action',
      'limit',
      'cursor',
    ]);
    const keys = operation('get', '/service-accounts/{serviceAccountId}/keys');
    expect([names(keys, 'path'), names(keys, 'query')]).toEqual([['serviceAccountId'], ['limit', 'cursor']]);
    expect(operation('get', '/keys/{keyId}').parameters).toEqual([
      expect.objectContaining({ name: 'keyId', in: 'path', required: true }),
    ]);
  });

  it('answers each success with its status, headers and component', () => {
    const success = (op: Loose) => Object.entries(op.responses as Loose).find(([status]) => status < '300');
    const create = success(operation('post', '/service-accounts'));
    expect(create?.[0]).toBe('201');
    expect(Object.keys(create?.[1].headers)).toEqual(['ETag', 'Location']);
    expect(create?.[1].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreatedServiceAccount',
    );
    expect(success(operation('delete', '/service-accounts/{id}'))).toEqual([
      '204',
      { description: expect.any(String) },
    ]);
    expect(Object.keys(success(operation('get', '/service-accounts/{id}'))?.[1].headers)).toEqual(['ETag']);
    expect(success(operation('get', '/audit/follow'))?.[1].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AuditFollowPage',
    );
  });

  it('asks for an API key with the route permission, and serves openapi.json to anyone', () => {
    expect(operation('post', '/keys/{keyId}/revoke').security).toEqual([
      { bearerApiKey: ['api_keys:manage'] },
      { apiKeyHeader: ['api_keys:manage'] },
    ]);
    expect(operation('get', '/openapi.json').security).toEqual([]);
    expect(Object.keys((document.components as Loose).securitySchemes)).toEqual([
      'bearerApiKey',
      'apiKeyHeader',
    ]);
  });

  it('describes dates as ISO 8601 strings', () => {
    const account = (document.components as Loose).schemas.ServiceAccount;
    expect(account.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
  });
});

describe('operationSchemas', () => {
  const document = documentOf(VARIANTS[3]);

  it('gives self-contained schemas for every operation, each compiling without the document', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [method, path] of operationsOf(document)) {
      const schemas = operationSchemas(document, method.toUpperCase(), path);
      expect(valuesOf(schemas, '$ref')).toEqual([]);
      for (const schema of [
        schemas.params,
        schemas.querystring,
        schemas.body,
        ...Object.values(schemas.response),
      ]) {
        if (schema !== undefined) ajv.compile(schema);
      }
    }
  });

  it('splits parameters by place, and keys responses with a body by status', () => {
    const create = operationSchemas(document, 'POST', '/api/keyward/service-accounts');
    expect([create.params, create.querystring]).toEqual([undefined, undefined]);
    expect(create.body).toMatchObject({ type: 'object', required: ['workspaceId', 'name', 'roles'] });
    expect(Object.keys(create.response)).toEqual([
      '201',
      '400',
      '401',
      '403',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    const list = operationSchemas(document, 'get', '/api/keyward/service-accounts/{serviceAccountId}/keys');
    expect(list.params).toMatchObject({ required: ['serviceAccountId'] });
    expect(list.querystring).toMatchObject({
      additionalProperties: false,
      properties: { limit: { default: 50 } },
    });
    const remove = operationSchemas(document, 'DELETE', '/api/keyward/service-accounts/{id}');
    expect(remove.response['204']).toBeUndefined();
    expect(remove.response['412']).toMatchObject({ required: ['type', 'title', 'status', 'detail', 'code'] });
  });

  it('throws for an operation the document does not have', () => {
    expect(() => operationSchemas(document, 'PUT', '/api/keyward/service-accounts')).toThrow(/no operation/);
  });
});
