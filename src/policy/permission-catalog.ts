import { z } from 'zod';
import { permissionNameSchema } from '../entities/ids.js';
import { parseConfig } from '../errors/parse-input.js';

/** Where a permission applies: the whole tenant, one workspace, or one dataset of a workspace. */
export type PermissionScope = 'tenant' | 'workspace' | 'dataset';

/** The access class of a permission: read-only accounts and keys may only use `read`. */
export type PermissionAccess = 'read' | 'write' | 'admin';

/** How a host declares one permission. `access` defaults to `write` (unclassified = write). */
export interface PermissionSpec {
  /** Which resource fields a request for this permission must carry. */
  readonly scope: PermissionScope;
  /** The access class; `write` when omitted, so an unclassified permission is never readable by read-only keys. */
  readonly access?: PermissionAccess | undefined;
  /** Shown in admin UIs. */
  readonly description?: string | undefined;
}

/** A permission as the catalog holds it, with its defaults applied. */
export interface PermissionInfo {
  /** `resource[.sub]:verb`. */
  readonly name: string;
  /** See {@link PermissionSpec.scope}. */
  readonly scope: PermissionScope;
  /** See {@link PermissionSpec.access}. */
  readonly access: PermissionAccess;
  /** See {@link PermissionSpec.description}. */
  readonly description?: string | undefined;
}

/**
 * A validated permission catalog. `A` is the union of its permission names, so an action that
 * is not in the catalog is a TypeScript error wherever the catalog's policy is used.
 */
export interface PermissionCatalog<A extends string = string> {
  /** Brand. @internal */
  readonly kind: 'keyward.permissions';
  /** Every permission, sorted by name. */
  readonly permissions: readonly (PermissionInfo & { readonly name: A })[];
}

/** Most permissions one catalog may hold. */
export const MAX_PERMISSIONS = 4096;

const permissionSpecSchema = z.strictObject({
  scope: z.enum(['tenant', 'workspace', 'dataset']),
  access: z.enum(['read', 'write', 'admin']).optional(),
  description: z.string().max(500).optional(),
});

const catalogSchema = z
  .record(permissionNameSchema, permissionSpecSchema)
  .refine((value) => Object.keys(value).length > 0, { message: 'A catalog needs at least one permission' })
  .refine((value) => Object.keys(value).length <= MAX_PERMISSIONS, {
    message: `A catalog holds at most ${MAX_PERMISSIONS} permissions`,
  });

/**
 * Declares the host's permission catalog. Names are `resource[.sub]:verb`; each permission
 * has a `scope` and an `access` class. Throws `KeywardError` `INVALID_CONFIG` on a bad name
 * or spec.
 *
 * @example
 * ```ts
 * const permissions = definePermissions({
 *   'datasets:read': { scope: 'dataset', access: 'read' },
 *   'datasets:write': { scope: 'dataset', access: 'write' },
 *   'workspace:read': { scope: 'workspace', access: 'read' },
 * });
 * ```
 */
export function definePermissions<const C extends Readonly<Record<string, PermissionSpec>>>(
  catalog: C,
): PermissionCatalog<Extract<keyof C, string>> {
  const specs = parseConfig(catalogSchema, catalog, 'permission catalog');
  const permissions = Object.keys(specs)
    .sort()
    .map((name) => {
      const spec = specs[name]!;
      const info: PermissionInfo = {
        name,
        scope: spec.scope,
        access: spec.access ?? 'write',
        ...(spec.description === undefined ? {} : { description: spec.description }),
      };
      return Object.freeze(info) as PermissionInfo & { readonly name: Extract<keyof C, string> };
    });
  return Object.freeze({ kind: 'keyward.permissions', permissions: Object.freeze(permissions) });
}

/** True when `value` came from {@link definePermissions}. @internal */
export function isPermissionCatalog(value: unknown): value is PermissionCatalog {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'keyward.permissions'
  );
}
