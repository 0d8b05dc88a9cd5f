import type { JsonObject } from './openapi-types.js';

const KEY_RIGHTS =
  "A keyward API key acts within its own rights, and needs the permission the operation names. People use the host's own session instead (cookie, JWT...: whatever its `authenticate` hook reads), which this document does not describe.";

/** How a request proves who it acts for, as `components.securitySchemes`. @internal */
export const SECURITY_SCHEMES: Readonly<Record<string, JsonObject>> = {
  bearerApiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'keyward API key',
    description: `\`Authorization: Bearer <token>\`. ${KEY_RIGHTS}`,
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: `\`x-api-key: <token>\`, the same key in another header (send one, not both). ${KEY_RIGHTS}`,
  },
};

/**
 * The security requirement of an operation needing `permission`: either scheme, with the
 * permission as its role (OpenAPI 3.1 lets non-OAuth schemes list the roles they need).
 *
 * @internal
 */
export function securityFor(permission: string): JsonObject[] {
  return Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [permission] }));
}
