/**
 * RFC 9457 problems as the management API answers them, and the words the page shows for them.
 *
 * @packageDocumentation
 */

/** One validation issue of an `invalid_input` problem. */
export interface FieldProblem {
  /** A JSON pointer as a URI fragment: `#/name`, `#/firstKey/name`, `#/roles/0`. */
  readonly pointer: string;
  readonly code: string;
  readonly detail: string;
}

/** A refusal of the API (or of the network, with status 0). */
export interface Problem {
  readonly status: number;
  /** keyward's stable machine code: `invalid_input`, `read_only`, `precondition_failed`... */
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[] | undefined;
  /** For 403 answers: the permission the request needed. */
  readonly required?: string | undefined;
}

/**
 * The problem an answer body holds, or a generic one when the body is not a problem.
 *
 * @example
 * ```ts
 * toProblem(403, { code: 'read_only', detail: 'The account is read-only.' });
 * ```
 */
export function toProblem(status: number, body: unknown): Problem {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof value.code === 'string' ? value.code : `http_${status}`;
  const detail = typeof value.detail === 'string' ? value.detail : `The server answered ${status}.`;
  const errors = Array.isArray(value.errors) ? (value.errors as FieldProblem[]) : undefined;
  const required = typeof value.required === 'string' ? value.required : undefined;
  return { status, code, detail, errors, required };
}

/** The problem of a request that got no answer (offline, server down). */
export function networkProblem(): Problem {
  return { status: 0, code: 'network_error', detail: 'The server could not be reached. Try again.' };
}

/** True when someone else changed the object since it was read (412 `If-Match`, 409 `conflict`). */
export function isEditConflict(problem: Problem): boolean {
  return problem.status === 412 || problem.code === 'conflict' || problem.code === 'precondition_failed';
}

/** The reasons of 403 answers, in words. */
const REFUSAL_WORDS: Readonly<Record<string, string>> = {
  not_granted: 'you do not hold the permission this needs here.',
  read_only: 'a read-only account or key may only read.',
  exceeds_creator_rights: 'this would give more rights than you hold yourself.',
  outside_workspace_binding: 'this is outside the workspaces you are confined to.',
  ip_allowlist_wider: "this would allow addresses your own key's IP allowlist refuses.",
  own_request_controls: 'a key may not change its own rate limits or credits.',
};

/**
 * The sentence the page shows for a problem. A 403 names its reason code, says it in words, and
 * names the permission it needed: `Refused: read_only: a read-only account or key may only read.`
 *
 * @example
 * ```ts
 * describeProblem({ status: 403, code: 'not_granted', detail: 'Not allowed.', required: 'api_keys:manage' });
 * // 'Refused: not_granted: you do not hold the permission this needs here. Required permission: api_keys:manage.'
 * ```
 */
export function describeProblem(problem: Problem): string {
  if (problem.status === 403) {
    const reason = REFUSAL_WORDS[problem.code] ?? problem.detail.replace(/\.?$/, '.');
    const required = problem.required === undefined ? '' : ` Required permission: ${problem.required}.`;
    return `Refused: ${problem.code}: ${reason}${required}`;
  }
  if (isEditConflict(problem)) {
    return 'This account was changed by someone else since you loaded it. Reload to see the latest version.';
  }
  if (problem.code === 'invalid_input' && problem.errors !== undefined && problem.errors.length > 0) {
    return `${problem.detail}: ${problem.errors.map((error) => error.detail).join('; ')}`;
  }
  return problem.detail;
}
