import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../errors/keyward-error.js';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemFieldError,
  type ProblemOptions,
  type ProblemResponse,
  problemDetails,
} from './problem-details.js';

/**
 * HTTP status of each {@link KeywardError} code a management call can throw.
 *
 * Refusals that hold whoever asks (`ROLE_NOT_ASSIGNABLE`, `DATASET_OUTSIDE_BINDING`) are 422: the
 * input is well-formed but can never be accepted. `EXCEEDS_CREATOR_RIGHTS`, `IP_ALLOWLIST_WIDER` and
 * `OWN_REQUEST_CONTROLS` are 403: they depend on who acts (a key never above its creator). Stale versions and state conflicts are 409. `INVALID_CONFIG` and
 * `STORAGE_SCHEMA` (migrations not run) are the host's faults, answered as a plain 500 that
 * tells the caller nothing; `STORAGE_UNAVAILABLE` is a 503 worth retrying.
 *
 * @example
 * ```ts
 * KEYWARD_ERROR_STATUS.KEY_LIMIT_REACHED; // 409
 * ```
 */
export const KEYWARD_ERROR_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  INVALID_INPUT: 400,
  INVALID_CONFIG: 500,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  KEY_LIMIT_REACHED: 409,
  ROLE_NOT_ASSIGNABLE: 422,
  EXCEEDS_CREATOR_RIGHTS: 403,
  IP_ALLOWLIST_WIDER: 403,
  OWN_REQUEST_CONTROLS: 403,
  DATASET_OUTSIDE_BINDING: 422,
  INVALID_STATE: 409,
  INVALID_EXPIRY: 400,
  STORAGE_UNAVAILABLE: 503,
  STORAGE_SCHEMA: 500,
  INTERNAL: 500,
});

/** Codes whose message is not shown to callers: the failure is the server's, not theirs. */
const HIDDEN_MESSAGES: ReadonlySet<ErrorCode> = new Set([
  ERROR_CODES.INVALID_CONFIG,
  ERROR_CODES.STORAGE_SCHEMA,
  ERROR_CODES.INTERNAL,
]);

const INTERNAL_DETAIL = 'An unexpected error occurred.';

/** Escapes one JSON Pointer reference token (RFC 6901). */
function pointerToken(segment: PropertyKey): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One validation issue as an RFC 9457 `errors` entry. @internal */
export function fieldError(issue: ValidationIssue): ProblemFieldError {
  const pointer = issue.path.length === 0 ? '#' : `#/${issue.path.map(pointerToken).join('/')}`;
  return { pointer, code: issue.code, detail: issue.message };
}

/** A list of strings from an unknown detail value, or undefined. */
function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : undefined;
}

/** Problem for a {@link KeywardError}. */
function keywardErrorProblem(error: KeywardError, options: ProblemOptions): ProblemResponse {
  const status = KEYWARD_ERROR_STATUS[error.code] ?? 500;
  const details = error.details;
  const reason =
    error.code === ERROR_CODES.FORBIDDEN && typeof details.reason === 'string' ? details.reason : null;
  const code = reason ?? error.code.toLowerCase();
  const detail = HIDDEN_MESSAGES.has(error.code) ? INTERNAL_DETAIL : error.message;
  const body = problemDetails(
    status,
    HIDDEN_MESSAGES.has(error.code) ? 'internal_error' : code,
    detail,
    {
      required: typeof details.required === 'string' ? details.required : undefined,
      errors: error.issues.length > 0 ? error.issues.map(fieldError) : undefined,
      exceeding: stringList(details.exceeding),
    },
    options,
  );
  return { status, headers: problemHeaders(), body, code: error.code };
}

/** Headers of every problem answer. */
function problemHeaders(): Record<string, string> {
  return { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' };
}

/**
 * The HTTP answer to an error thrown by a management call (or anything else): a
 * {@link KeywardError} is mapped with {@link KEYWARD_ERROR_STATUS} (its `INVALID_INPUT` issues
 * become RFC 9457 `errors` with JSON Pointers, a `FORBIDDEN` names the decision reason); any
 * other error is a 500 whose body says nothing about it.
 *
 * @example
 * ```ts
 * try { res.json(await kw.keys.issue(actor, input)); }
 * catch (err) { const p = errorResponse(err); res.status(p.status).set(p.headers).send(JSON.stringify(p.body)); }
 * ```
 */
export function errorResponse(error: unknown, options: ProblemOptions = {}): ProblemResponse {
  if (error instanceof KeywardError) return keywardErrorProblem(error, options);
  return {
    status: 500,
    headers: problemHeaders(),
    body: problemDetails(500, 'internal_error', INTERNAL_DETAIL, {}, options),
    code: 'internal_error',
  };
}
