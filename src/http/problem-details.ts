/** The media type of an RFC 9457 problem body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The standard title of each status keyward answers with (RFC 9110 reason phrases). */
const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** One entry of `errors` in an `invalid_input` problem (RFC 9457 §3 example shape). */
export interface ProblemFieldError {
  /** A JSON Pointer (RFC 6901) to the offending member of the input, as a URI fragment: `#/roles/0`. */
  pointer: string;
  /** Machine code of the issue (zod's issue code). */
  code: string;
  /** What is wrong. Never echoes the input value. */
  detail: string;
}

/**
 * An RFC 9457 problem body. `code` is keyward's stable machine code (an extension member); a
 * problem never contains a token, a secret or an echo of the request.
 *
 * @example
 * ```ts
 * { type: 'about:blank', title: 'Forbidden', status: 403, code: 'read_only',
 *   detail: 'The API key is read-only.', required: 'datasets:write' }
 * ```
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** For 403 answers: the permission the request needed. */
  required?: string | undefined;
  /** For `invalid_input`: every validation issue. */
  errors?: ProblemFieldError[] | undefined;
  /** For 403 `exceeds_creator_rights` on management calls: the permissions over the creator's. */
  exceeding?: string[] | undefined;
  /** For 403 `ip_not_allowed`: whose IP allowlist refused the address, the account's or the key's. */
  layer?: 'account' | 'key' | undefined;
}

/**
 * A ready-to-send problem answer: status, lowercase headers (always `content-type:
 * application/problem+json`) and the body to serialise with `JSON.stringify`. `code` is the
 * precise internal code, for the host's logs; it is not sent and may be more specific than
 * `body.code`.
 */
export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
  code: string;
}

/** Options shared by everything that builds problems. */
export interface ProblemOptions {
  /**
   * A base URI for `type`: the problem's `type` becomes `typeBaseUri + code`, which should lead to
   * the host's documentation of that code. Default: none, `type` is `about:blank` (RFC 9457 §4.2.1).
   */
  typeBaseUri?: string | undefined;
}

/** The standard title of `status`. @internal */
export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}

/**
 * Builds a problem body with its `type` and standard `title`; extension members are copied.
 *
 * @example
 * ```ts
 * problemDetails(404, 'not_found', 'The resource does not exist.');
 * ```
 */
export function problemDetails(
  status: number,
  code: string,
  detail: string,
  extensions: Pick<ProblemDetails, 'required' | 'errors' | 'exceeding' | 'layer'> = {},
  options: ProblemOptions = {},
): ProblemDetails {
  const type = options.typeBaseUri === undefined ? 'about:blank' : `${options.typeBaseUri}${code}`;
  const body: ProblemDetails = { type, title: statusTitle(status), status, detail, code };
  if (extensions.required !== undefined) body.required = extensions.required;
  if (extensions.errors !== undefined) body.errors = extensions.errors;
  if (extensions.exceeding !== undefined) body.exceeding = extensions.exceeding;
  if (extensions.layer !== undefined) body.layer = extensions.layer;
  return body;
}
