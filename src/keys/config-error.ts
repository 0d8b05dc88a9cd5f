import type { z } from 'zod';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';

/**
 * Validates a configuration value with `schema`, throwing `INVALID_CONFIG` with every zod
 * issue (paths prefixed with `field`) on failure. Values are never echoed into the error.
 *
 * @internal
 */
export function parseConfigValue<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new KeywardError(ERROR_CODES.INVALID_CONFIG, `Invalid ${field}`, {
    issues: result.error.issues.map((issue) => ({
      code: issue.code,
      path: [field, ...issue.path],
      message: issue.message,
    })),
  });
}
