import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../errors/keyward-error.js';
import type { ManagementRoute } from './management-routes.js';
import type { BodyRead } from './request-body.js';

/** The parts of a request a route's input is assembled from. @internal */
export interface InputParts {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: BodyRead;
  /** The version `If-Match` names, on routes that honour it. */
  readonly ifMatch: number | undefined;
}

const issue = (path: PropertyKey[], message: string): ValidationIssue => ({ code: 'custom', path, message });

/** True for a JSON object (not an array, not null). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `name` on `target` as an own member, whatever the name: `target.__proto__ = value` would
 * set the prototype instead, hiding the member from the schema's unknown-member check and lending
 * its contents to every read of `target`. As an own member, the call's input check (`parseInput`)
 * refuses it as an unknown member.
 *
 * @internal
 */
export function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Copies `source` into `input`, refusing members the path or If-Match already set. */
function mergeInto(
  input: Record<string, unknown>,
  source: Record<string, unknown>,
  issues: ValidationIssue[],
) {
  for (const [name, value] of Object.entries(source)) {
    if (Object.hasOwn(input, name))
      issues.push(issue([name], 'Given by the request path; do not repeat it.'));
    else setMember(input, name, value);
  }
}

/**
 * The input of `route`'s management call: path parameters, then the query (list routes) or the
 * body, then `If-Match` as `expectedVersion`. Nothing is dropped silently: a query or a body where
 * the route takes none, a non-object body, a member repeating a path parameter, or an `expectedVersion`
 * disagreeing with `If-Match` throw `INVALID_INPUT` (400 with JSON pointers into the body). The
 * rest is validated by the call itself.
 *
 * @internal
 */
export function routeInput(route: ManagementRoute, parts: InputParts): Record<string, unknown> {
  const input: Record<string, unknown> = { ...parts.params };
  const issues: ValidationIssue[] = [];
  if (route.query === true) mergeInto(input, parts.query, issues);
  else {
    // A precondition sent in the query (`?expectedVersion=1`) must not turn into an
    // unconditional write: a route that takes no query refuses one.
    for (const name of Object.keys(parts.query))
      issues.push(issue([name], 'This route takes no query parameters; send the member in the body.'));
  }
  if (parts.body.present) {
    const value = parts.body.value;
    if (route.body === 'none') issues.push(issue([], 'This route takes no request body.'));
    else if (route.body === 'key') input.key = value;
    else if (!isObject(value)) issues.push(issue([], 'The request body must be a JSON object.'));
    else mergeInto(input, value, issues);
  }
  if (parts.ifMatch !== undefined) {
    if (input.expectedVersion !== undefined && input.expectedVersion !== parts.ifMatch) {
      issues.push(issue(['expectedVersion'], 'Disagrees with the If-Match header.'));
    }
    input.expectedVersion = parts.ifMatch;
  }
  if (issues.length > 0) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid request', { issues });
  }
  return input;
}

/**
 * Issues of a call re-rooted at the request body: on an issue route, the body is the input's
 * `key`, so `key/name` is the body's `/name`. @internal
 */
export function bodyRootedError(route: ManagementRoute, error: unknown): unknown {
  if (route.body !== 'key' || !(error instanceof KeywardError) || error.code !== ERROR_CODES.INVALID_INPUT) {
    return error;
  }
  const issues = error.issues.map((item) =>
    item.path[0] === 'key' ? { ...item, path: item.path.slice(1) } : item,
  );
  return new KeywardError(ERROR_CODES.INVALID_INPUT, error.message, { issues });
}
