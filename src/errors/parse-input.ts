import type { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { KeywardError, type ValidationIssue } from './keyward-error.js';
import { protoMemberIssues } from './proto-members.js';

/** A field name short and plain enough to name in a message (a token is at least 45 characters). */
const SHOWN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,31}$/;

/**
 * The message of an issue. zod quotes unknown field names (`Unrecognized key: "..."`), which may
 * be a token pasted as a field name: only plain identifiers of up to 32 characters are named.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const shown = issue.keys.every((key) => SHOWN_KEY.test(key));
  if (!shown) return issue.keys.length === 1 ? 'Unrecognized key' : `${issue.keys.length} unrecognized keys`;
  const names = issue.keys.map((key) => `"${key}"`).join(', ');
  return `Unrecognized key${issue.keys.length === 1 ? '' : 's'}: ${names}`;
}

/**
 * Validates `value` with `schema`, throwing `code` with every zod issue (paths prefixed with
 * `pathPrefix`) on failure. Issue messages are zod's own, except that unknown field names are
 * named only when they are plain identifiers; values are never echoed, and `KeywardError`
 * redacts anything token-shaped left in a message or path, so a secret pasted into a wrong field
 * (or as a field name) cannot leak through the error.
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
    message: issueMessage(issue),
  }));
  throw new KeywardError(code, withFirstIssue(message, issues), { issues });
}

/**
 * `message` with the first issue's path and message, so that a log line holding only
 * `error.message` still says what was wrong: `Invalid service account: name: Too small...`.
 */
function withFirstIssue(message: string, issues: readonly ValidationIssue[]): string {
  const [first] = issues;
  if (first === undefined) return message;
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${message}: ${where}${first.message}${more}`;
}

/**
 * Validates the input of a management call: `INVALID_INPUT` with every zod issue on failure. A
 * member named `__proto__` anywhere in it is refused first, as an unknown member (zod would drop
 * it from a record, such as metadata, without a word).
 *
 * @internal
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const protoMembers = protoMemberIssues(input);
  if (protoMembers.length > 0) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, withFirstIssue(`Invalid ${what}`, protoMembers), {
      issues: protoMembers,
    });
  }
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
