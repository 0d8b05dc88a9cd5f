/**
 * Where the errors of an `invalid_input` problem go: each to the field its JSON pointer names
 * (`#/name` to "Account name"), the rest to the form's alert.
 *
 * @packageDocumentation
 */
import type { FieldProblem, Problem } from './problem';

/** The first message for each field path (`name`, `firstKey/name`, `roles`). */
export type FieldErrors = Readonly<Record<string, string>>;

/** A problem split between the form's fields and its alert. */
export interface SplitProblem {
  /** Messages shown next to their field. */
  readonly fields: FieldErrors;
  /** What no field shows: the whole problem, or `null` when every error found its field. */
  readonly alert: Problem | null;
}

/**
 * Splits `problem` among `fieldPaths`: an error whose pointer is a field path, or lies under it
 * (`#/roles/0` under `roles`), goes to that field.
 *
 * @example
 * ```ts
 * splitProblem(problem, ['name', 'roles']).fields.name; // 'Too small: expected string to have >=1 characters'
 * ```
 */
export function splitProblem(problem: Problem | null, fieldPaths: readonly string[]): SplitProblem {
  if (problem === null) return { fields: {}, alert: null };
  if (problem.code !== 'invalid_input' || problem.errors === undefined) return { fields: {}, alert: problem };
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const error of problem.errors) {
    const path = error.pointer.replace(/^#\//, '');
    const field = fieldPaths.find((candidate) => path === candidate || path.startsWith(`${candidate}/`));
    if (field === undefined) unplaced = true;
    else fields[field] ??= fieldMessage(error);
  }
  return { fields, alert: unplaced || problem.errors.length === 0 ? problem : null };
}

/**
 * The message shown under a field: the API's own words, except for an empty required value
 * (zod's `too_small` with a minimum of 1), which reads "Required" / "Choose at least one".
 */
function fieldMessage(error: FieldProblem): string {
  if (error.code !== 'too_small' || !error.detail.includes('>=1')) return error.detail;
  return error.detail.includes('array') ? 'Choose at least one.' : 'Required.';
}

/**
 * The attributes that tie a field to its error message (`aria-invalid`, `aria-describedby`).
 *
 * @example
 * ```tsx
 * <input id={id} {...errorAttributes(id, errors.name)} />
 * ```
 */
export function errorAttributes(
  id: string,
  error: string | undefined,
): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  return error === undefined ? {} : { 'aria-invalid': 'true', 'aria-describedby': errorId(id) };
}

/** The id of the element holding the error message of field `id`. */
export function errorId(id: string): string {
  return `${id}-error`;
}
