import type { ErrorCode } from './error-codes.js';

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

/**
 * The one error class keyward throws. `code` is stable; `message` is free of secrets and HTTP.
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
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
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
