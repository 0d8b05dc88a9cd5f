import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { KeywardError, type ValidationIssue } from './keyward-error.js';

/**
 * Validates `value` with `schema`, throwing `code` with every zod issue (paths prefixed with
 * `pathPrefix`) on failure. Issue messages are zod's own; values are never echoed, so a secret
 * pasted into a wrong field cannot leak through the error.
 */
function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode,
  message: string,
  pathPrefix: readonly PropertyKey[],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    code: issue.code,
    path: [...pathPrefix, ...issue.path],
    message: issue.message,
  }));
  throw new KeywardError(code, message, { issues });
}

/**
 * Validates the input of a management call: `INVALID_INPUT` with every zod issue on failure.
 *
 * @internal
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return parseWith(schema, input, ERROR_CODES.INVALID_INPUT, `Invalid ${what}`, []);
}

/**
 * Validates configuration: `INVALID_CONFIG` with every zod issue on failure, paths prefixed
 * with `field` when given.
 *
 * @internal
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  field?: string,
): z.output<S> {
  return parseWith(
    schema,
    value,
    ERROR_CODES.INVALID_CONFIG,
    `Invalid ${what}`,
    field === undefined ? [] : [field],
  );
}
