import { PROBLEM_CONTENT_TYPE } from '../../http/problem-details.js';
import type { ManagementRoute } from '../management-route.js';
import type { JsonObject } from './openapi-types.js';
import { challengeHeader, RETRY_AFTER_HEADER } from './response-headers.js';
import { schemaRef } from './zod-json-schema.js';

/** A problem answer as `#/components/responses/<name>`. */
interface ProblemAnswer {
  readonly name: string;
  readonly description: string;
  readonly headers?: Readonly<Record<string, JsonObject>>;
}

/** Every problem status a management route can answer, and when. */
const PROBLEM_ANSWERS: Readonly<Record<number, ProblemAnswer>> = {
  400: {
    name: 'BadRequest',
    description:
      'Invalid input (`invalid_input`, with `errors`: one JSON pointer per issue, rooted at the body or the query), a body that is not JSON (`malformed_json`), or credentials sent in a way RFC 6750 refuses (`multiple_credentials`, `credential_in_query`...).',
    headers: { 'WWW-Authenticate': challengeHeader(false) },
  },
  401: {
    name: 'Unauthorized',
    description:
      'Neither a session the host recognises nor a valid API key (`unauthenticated`): one answer for a missing, unknown, revoked or expired key.',
    headers: { 'WWW-Authenticate': challengeHeader(true) },
  },
  403: {
    name: 'Forbidden',
    description:
      "The caller may not do this: `code` is the reason (`not_granted`, `read_only`, `exceeds_creator_rights`...), `required` the permission. A key acting may also be refused `ip_allowlist_wider` (the key or account would be usable from addresses its own IP allowlists refuse: pass a narrower `ipAllowlist`) or `own_request_controls` (it may not change its own rate limits or credits, nor its account's rate limits). A write a browser sent for another origin's page (`Origin`, `Sec-Fetch-Site`) is refused `cross_site_request` before anything else.",
    headers: { 'WWW-Authenticate': challengeHeader(false) },
  },
  404: {
    name: 'NotFound',
    description:
      "No such object in the caller's tenant (`not_found`); objects of other tenants answer the same.",
  },
  409: {
    name: 'Conflict',
    description:
      'A stale `expectedVersion` (`conflict`), the key limit (`key_limit_reached`), or a state that forbids the change (`invalid_state`).',
  },
  412: {
    name: 'PreconditionFailed',
    description:
      "`If-Match` does not name the account's current version (`precondition_failed`); nothing changed.",
  },
  413: { name: 'ContentTooLarge', description: 'The body is over the size limit (`body_too_large`).' },
  415: {
    name: 'UnsupportedMediaType',
    description: 'A body not sent as `application/json` (`unsupported_media_type`).',
  },
  422: {
    name: 'UnprocessableContent',
    description:
      'A value nobody may set: a role not assignable to service accounts (`role_not_assignable`), a dataset outside the workspace (`dataset_outside_binding`).',
  },
  429: {
    name: 'TooManyRequests',
    description: "The host's rate limit refused the call (`rate_limited`).",
    headers: { 'Retry-After': RETRY_AFTER_HEADER },
  },
  500: {
    name: 'InternalError',
    description: 'An unexpected failure (`internal_error`); the body says nothing more.',
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'Storage could not be reached (`storage_unavailable`, `service_unavailable`): retry later.',
  },
};

/** The problem responses of the document, as `components.responses`. @internal */
export function problemResponseComponents(): Record<string, JsonObject> {
  const responses: Record<string, JsonObject> = {};
  for (const { name, description, headers } of Object.values(PROBLEM_ANSWERS)) {
    responses[name] = {
      description,
      ...(headers === undefined ? {} : { headers }),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
    };
  }
  return responses;
}

/** A reference to the problem response of `status`. @internal */
export function problemResponseRef(status: number): JsonObject {
  const answer = PROBLEM_ANSWERS[status];
  if (answer === undefined) throw new Error(`keyward: no problem response for ${status}`);
  return { $ref: `#/components/responses/${answer.name}` };
}

/**
 * The problem statuses `route` can answer: every route can refuse credentials, input and bodies
 * (any request body is read, whatever the route), rate-limit and fail; a route naming an object
 * can miss it; an `If-Match` route can fail its precondition; the rest are the call's own refusals.
 *
 * @internal
 */
export function problemStatuses(route: ManagementRoute): number[] {
  const statuses = new Set([400, 401, 403, 413, 415, 429, 500, 503, ...(route.refusals ?? [])]);
  if (route.path.includes('/:')) statuses.add(404);
  if (route.ifMatch === true) statuses.add(412);
  return [...statuses].sort((a, b) => a - b);
}
