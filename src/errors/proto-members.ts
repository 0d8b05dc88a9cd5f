import type { ValidationIssue } from './keyward-error.js';

/** Most issues reported: enough to name the member, few enough that a crafted body stays cheap. */
const MAX_ISSUES = 10;

/** An object or array met while walking a value, with the way back to the root. */
interface Visit {
  readonly value: object;
  readonly parent: Visit | undefined;
  readonly key: PropertyKey;
}

/** True for what a JSON text parses into: arrays and plain objects (no class instance, no `Date`). */
function isJsonContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The path from the root to `visit`. */
function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * One `unrecognized_keys` issue for each object of `value` (itself, or nested in plain objects
 * and arrays) holding an own member named `__proto__`, as `JSON.parse` makes one; at most ten.
 * zod never reads such a member: a strict object refuses it, but a record (metadata) drops it
 * silently, and code copying it with `target[name] = value` sets a prototype instead. The walk is
 * iterative (a deeply nested body cannot exhaust the stack) and visits each object once.
 *
 * @example
 * ```ts
 * protoMemberIssues(JSON.parse('{"metadata":{"__proto__":"x"}}'));
 * // [{ code: 'unrecognized_keys', path: ['metadata'], message: 'Unrecognized key: "__proto__"' }]
 * ```
 *
 * @internal
 */
export function protoMemberIssues(value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isJsonContainer(value)) return issues;
  const seen = new WeakSet<object>();
  const pending: Visit[] = [{ value, parent: undefined, key: '' }];
  for (let visit = pending.pop(); visit !== undefined && issues.length < MAX_ISSUES; visit = pending.pop()) {
    if (seen.has(visit.value)) continue;
    seen.add(visit.value);
    if (Object.hasOwn(visit.value, '__proto__')) {
      issues.push({
        code: 'unrecognized_keys',
        path: pathOf(visit),
        message: 'Unrecognized key: "__proto__"',
      });
    }
    const isArray = Array.isArray(visit.value);
    for (const [key, member] of Object.entries(visit.value)) {
      if (isJsonContainer(member))
        pending.push({ value: member, parent: visit, key: isArray ? Number(key) : key });
    }
  }
  return issues;
}
