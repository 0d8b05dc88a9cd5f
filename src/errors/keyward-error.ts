import type { ErrorCode } from './error-codes.js';
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

/** Options for {@link KeywardError}. */
export interface KeywardErrorOptions {
  /** Every validation issue, when `code` is `INVALID_INPUT` or `INVALID_CONFIG`. */
  issues?: readonly ValidationIssue[] | undefined;
  /** Structured, secret-free details (e.g. the exceeding permissions). */
  details?: Readonly<Record<string, unknown>> | undefined;
  /** The underlying error. Never exposed in `message`. */
  cause?: unknown;
}

/** An issue whose message and path segments are {@link safeErrorText}. */
function safeIssue(issue: ValidationIssue): ValidationIssue {
  return {
    code: issue.code,
    path: issue.path.map((segment) => (typeof segment === 'string' ? safeErrorText(segment) : segment)),
    message: safeErrorText(issue.message),
  };
}

/** Details whose top-level strings and string arrays are {@link safeErrorText}; deeper values are kept. */
function safeDetails(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
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
export class KeywardError extends Error {
  override readonly name = 'KeywardError';
  /** Stable machine-readable code from {@link ERROR_CODES}. */
  readonly code: ErrorCode;
  /** Validation issues (empty unless input or config was invalid). */
  readonly issues: readonly ValidationIssue[];
  /** Secret-free structured details. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: KeywardErrorOptions = {}) {
    super(safeErrorText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = (options.issues ?? []).map(safeIssue);
    this.details = options.details === undefined ? {} : safeDetails(options.details);
  }

  /** A plain, serialisable view (no stack, no cause). */
  toJSON(): {
    code: ErrorCode;
    message: string;
    issues: readonly ValidationIssue[];
    details: Readonly<Record<string, unknown>>;
  } {
    return { code: this.code, message: this.message, issues: this.issues, details: this.details };
  }
}

/** True when `value` is a {@link KeywardError}, optionally with the given code. */
export function isKeywardError(value: unknown, code?: ErrorCode): value is KeywardError {
  return value instanceof KeywardError && (code === undefined || value.code === code);
}
