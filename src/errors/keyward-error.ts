import type { ErrorCode } from './error-codes.js';
import type { KeywardErrorDetails, NoErrorDetails } from './error-details.js';
import { safeErrorText } from './error-text.js';

/** One validation problem, in the shape zod reports it. */
export interface ValidationIssue {
  /** The zod issue code, e.g. `too_big` or `invalid_type`. */
  readonly code: string;
  /** Where in the input the problem is. */
  readonly path: readonly PropertyKey[];
  /** A human-readable explanation. */
  readonly message: string;
}

/** Options for {@link KeywardError} with the code `C`. */
export interface KeywardErrorOptions<C extends ErrorCode = ErrorCode> {
  /** Every validation issue, when `code` is `INVALID_INPUT` or `INVALID_CONFIG`. */
  issues?: readonly ValidationIssue[] | undefined;
  /** Structured, secret-free details, shaped per code (see {@link KeywardErrorDetails}). */
  details?: KeywardErrorDetailsOf<C> | undefined;
  /** The underlying error. Never exposed in `message`. */
  cause?: unknown;
}

/**
 * The options argument of `new KeywardError(code, message, options)`: required, with its
 * `details`, for codes whose details have required fields.
 */
type OptionsArgument<C extends ErrorCode> =
  NoErrorDetails extends KeywardErrorDetailsOf<C>
    ? [options?: KeywardErrorOptions<C>]
    : [options: KeywardErrorOptions<C> & { details: KeywardErrorDetailsOf<C> }];

/**
 * The `details` of a {@link KeywardError} with the code `C`: the code's
 * {@link KeywardErrorDetails}, still readable as a plain record while `C` may be any code.
 */
export type KeywardErrorDetailsOf<C extends ErrorCode> = KeywardErrorDetails[C] &
  Readonly<Record<string, unknown>>;

/** An issue whose message and path segments are {@link safeErrorText}. */
function safeIssue(issue: ValidationIssue): ValidationIssue {
  return {
    code: issue.code,
    path: issue.path.map((segment) => (typeof segment === 'string' ? safeErrorText(segment) : segment)),
    message: safeErrorText(issue.message),
  };
}

/** Details whose top-level strings and string arrays are {@link safeErrorText}; deeper values are kept. */
function safeDetails(details: object): Readonly<Record<string, unknown>> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(details)) {
    if (typeof value === 'string') safe[name] = safeErrorText(value);
    else if (Array.isArray(value))
      safe[name] = value.map((item: unknown) => (typeof item === 'string' ? safeErrorText(item) : item));
    else safe[name] = value;
  }
  return safe;
}

/**
 * The one error class keyward throws. `code` is stable; `message` is free of secrets and HTTP.
 *
 * Whoever builds one, its `message`, every issue's `message` and string path segments, and the
 * top-level strings (and string arrays) of `details` are made safe here: token-shaped words
 * (`<prefix>_<keyId>_<secret>`) become `[redacted]`, and control, bidi-format and line-separator
 * characters are escaped, so an input pasted into the wrong place cannot leak a secret or forge a
 * log line through the error.
 *
 * @example
 * ```ts
 * try { await kw.serviceAccounts.create(actor, input); }
 * catch (err) { if (err instanceof KeywardError) console.error(err.code, err.issues); }
 * ```
 */
export class KeywardError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'KeywardError';
  /** Stable machine-readable code from {@link ERROR_CODES}. */
  readonly code: C;
  /** Validation issues (empty unless input or config was invalid). */
  readonly issues: readonly ValidationIssue[];
  /** Secret-free structured details, shaped per code (see {@link KeywardErrorDetails}). */
  readonly details: KeywardErrorDetailsOf<C>;

  constructor(code: C, message: string, ...[options = {}]: OptionsArgument<C>) {
    super(safeErrorText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = (options.issues ?? []).map(safeIssue);
    this.details = (
      options.details === undefined ? {} : safeDetails(options.details)
    ) as KeywardErrorDetailsOf<C>;
  }

  /** A plain, serialisable view (no stack, no cause). */
  toJSON(): {
    code: C;
    message: string;
    issues: readonly ValidationIssue[];
    details: KeywardErrorDetailsOf<C>;
  } {
    return { code: this.code, message: this.message, issues: this.issues, details: this.details };
  }
}

/**
 * A {@link KeywardError} of any code, as a union over the codes: `switch (error.code)` narrows
 * `error.details`.
 */
export type AnyKeywardError = { [C in ErrorCode]: KeywardError<C> }[ErrorCode];

/**
 * True when `value` is a {@link KeywardError}, optionally with the given code; narrows `details`
 * to that code's {@link KeywardErrorDetails}.
 *
 * @example
 * ```ts
 * try { await kw.keys.issue(admin, input); }
 * catch (err) {
 *   if (isKeywardError(err, 'KEY_LIMIT_REACHED')) log(err.details.activeKeys, err.details.limit);
 * }
 * ```
 */
export function isKeywardError<C extends ErrorCode>(value: unknown, code: C): value is KeywardError<C>;
export function isKeywardError(value: unknown): value is AnyKeywardError;
export function isKeywardError(value: unknown, code?: ErrorCode): boolean {
  return value instanceof KeywardError && (code === undefined || value.code === code);
}
