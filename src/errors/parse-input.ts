import type { z } from 'zod';
import { ERROR_CODES } from './error-codes.js';
import { KeywardError } from './keyward-error.js';

/**
 * Validates `input` with `schema`, throwing `INVALID_INPUT` with every zod issue on failure.
 * Issue messages are zod's own; input values are never echoed, so a secret pasted into a
 * wrong field cannot leak through the error.
 *
 * @internal
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new KeywardError(ERROR_CODES.INVALID_INPUT, `Invalid ${what}`, {
    issues: result.error.issues.map((issue) => ({
      code: issue.code,
      path: issue.path,
      message: issue.message,
    })),
  });
}
