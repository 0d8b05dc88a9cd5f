import { PROBLEM_CONTENT_TYPE, problemDetails } from '../http/problem-details.js';
import type { ManagementResponse } from './management-request.js';

/** A problem answer of the management API's own HTTP rules (RFC 9457 body). @internal */
export function problemResponse(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): ManagementResponse {
  return {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: problemDetails(status, code, detail),
  };
}

/** 404 for a path that is not a route (same body as a missing object). @internal */
export const notFound = (): ManagementResponse =>
  problemResponse(404, 'not_found', 'The resource does not exist.');

/** 405 with the methods the path accepts. @internal */
export const methodNotAllowed = (allow: readonly string[]): ManagementResponse =>
  problemResponse(405, 'method_not_allowed', 'The path does not accept this method.', {
    allow: allow.join(', '),
  });

/** 412 when `If-Match` does not name the account's current version. @internal */
export const preconditionFailed = (): ManagementResponse =>
  problemResponse(
    412,
    'precondition_failed',
    'The service account was changed since the version named in If-Match; read it again.',
  );
