/** The resource part of a permission name (before `:`). */
export type ResourceOf<A extends string> = A extends `${infer R}:${string}` ? R : never;

/** The verb part of a permission name (after `:`). */
export type VerbOf<A extends string> = A extends `${string}:${infer V}` ? V : never;

/**
 * A grant over a catalog whose permissions are `A`: a permission, `*` (everything),
 * `resource:*` (every verb of exactly that resource, so `datasets:*` does not reach
 * `datasets.x:read`) or `*:verb` (that verb of every resource). Wildcards cover whole segments
 * only: `data*`, `datasets.*:read` and `datasets:re*` are refused.
 *
 * @example
 * ```ts
 * const grants: GrantPattern<'datasets:read' | 'datasets:write'>[] = ['datasets:*', '*:read'];
 * ```
 */
export type GrantPattern<A extends string = string> =
  | A
  | '*'
  | '*:*'
  | `${ResourceOf<A>}:*`
  | `*:${VerbOf<A>}`;

const SEGMENT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const VERB = /^[a-z][a-z0-9_]*$/;

/** A parsed grant pattern: `null` in a part means "any". @internal */
export interface ParsedPattern {
  readonly resource: string | null;
  readonly verb: string | null;
}

/**
 * Parses a grant pattern, or returns `null` when it is malformed (a misplaced or partial
 * wildcard, a bad character, more than one `:`).
 *
 * @internal
 */
export function parsePattern(pattern: unknown): ParsedPattern | null {
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > 128) return null;
  if (pattern === '*') return { resource: null, verb: null };
  const colon = pattern.indexOf(':');
  if (colon < 0 || colon !== pattern.lastIndexOf(':')) return null;
  const resource = pattern.slice(0, colon);
  const verb = pattern.slice(colon + 1);
  if (resource !== '*' && !SEGMENT.test(resource)) return null;
  if (verb !== '*' && !VERB.test(verb)) return null;
  return { resource: resource === '*' ? null : resource, verb: verb === '*' ? null : verb };
}

/** Splits a permission name into resource and verb. @internal */
export function splitPermission(name: string): { readonly resource: string; readonly verb: string } {
  const colon = name.indexOf(':');
  return { resource: name.slice(0, colon), verb: name.slice(colon + 1) };
}

/** True when a parsed pattern covers the permission `name`. @internal */
export function patternMatches(pattern: ParsedPattern, name: string): boolean {
  const { resource, verb } = splitPermission(name);
  return (
    (pattern.resource === null || pattern.resource === resource) &&
    (pattern.verb === null || pattern.verb === verb)
  );
}

/**
 * True when `outer` covers `inner` as patterns, whatever the catalog holds now or later: a
 * wildcard is covered only by a wildcard in the same place (`datasets:*` by `datasets:*`, `*:*`
 * or `*`, never by a list of today's `datasets:` verbs).
 *
 * @internal
 */
export function patternCovers(outer: ParsedPattern, inner: ParsedPattern): boolean {
  return (
    (outer.resource === null || (inner.resource !== null && outer.resource === inner.resource)) &&
    (outer.verb === null || (inner.verb !== null && outer.verb === inner.verb))
  );
}
