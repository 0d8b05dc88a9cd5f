import { setMember } from './route-input.js';

/** Query parameters whose decimal values are numbers in the management inputs. */
const NUMERIC_PARAMS: ReadonlySet<string> = new Set(['limit']);

/**
 * The query string of a request target as a management input: one value per name (a repeated
 * name becomes an array, which the input schema refuses), `limit` as a number when it is a
 * decimal integer (otherwise kept as text, for the schema to refuse with a pointer).
 *
 * @internal
 */
export function queryInput(search: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const typed = NUMERIC_PARAMS.has(name) && /^\d{1,9}$/.test(value) ? Number(value) : value;
    // Own members only: `__proto__` and `constructor` are names like any other here.
    const previous = Object.hasOwn(input, name) ? input[name] : undefined;
    if (previous === undefined) setMember(input, name, typed);
    else setMember(input, name, Array.isArray(previous) ? [...previous, typed] : [previous, typed]);
  }
  return input;
}
