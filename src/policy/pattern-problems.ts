import { parsePattern, patternMatches } from './grant-pattern.js';

/**
 * Why `pattern` is not a well-formed grant pattern (a misplaced or partial wildcard, a bad
 * character), or `null` when it is.
 *
 * @internal
 */
export function syntaxProblem(pattern: unknown): string | null {
  return parsePattern(pattern) === null
    ? `'${String(pattern).slice(0, 128)}' is not a permission or a whole-segment wildcard (use '*', 'resource:*' or '*:verb')`
    : null;
}

/**
 * Why a grant pattern is refused against a catalog of permission names, or `null` when it is
 * fine: malformed, or covering no permission of the catalog.
 *
 * @internal
 */
export function patternProblem(pattern: unknown, names: readonly string[]): string | null {
  const parsed = parsePattern(pattern);
  if (parsed === null) return syntaxProblem(pattern);
  for (const name of names) if (patternMatches(parsed, name)) return null;
  return `'${pattern as string}' matches no permission of the catalog`;
}
