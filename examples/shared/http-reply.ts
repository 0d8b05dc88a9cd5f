import { errorResponse, httpDenial, type ProblemResponse, problemDetails } from '../../src/entries/http.js';

/**
 * A framework-free answer: both example apps send exactly these bytes and headers, so the same
 * request gets the same answer from Express and Fastify.
 */
export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The serialised body; empty for 204. */
  readonly payload: string;
}

/** A JSON answer. Dates serialise as ISO-8601 strings. */
export function jsonReply(status: number, body: unknown): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    payload: JSON.stringify(body),
  };
}

/** An empty 204 answer. */
export function noContentReply(): HttpReply {
  return { status: 204, headers: { 'cache-control': 'no-store' }, payload: '' };
}

/** A problem answer (keyward's request-path denials and error mappings are problems already). */
export function problemReply(problem: ProblemResponse): HttpReply {
  return { status: problem.status, headers: problem.headers, payload: JSON.stringify(problem.body) };
}

/** A problem answer the example builds itself (bad body, unknown route, bad login). */
export function hostProblem(status: number, code: string, detail: string): HttpReply {
  return problemReply({
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: problemDetails(status, code, detail),
    code,
  });
}

/** 404 for a route or object the example does not have: the same body keyward uses. */
export function notFoundReply(): HttpReply {
  return problemReply(httpDenial('resource_not_found', { realm: EXAMPLE_REALM }));
}

/** The realm of the example apps' challenges. */
export const EXAMPLE_REALM = 'acme-data-platform';

/** An error the example raises for a request body it refuses. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code:
      | 'invalid_json'
      | 'invalid_body'
      | 'bad_request'
      | 'payload_too_large'
      | 'unsupported_media_type',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The answer to anything thrown while handling a request: body problems, keyward's
 * `KeywardError`s (see `errorResponse`), and 500 for the rest (logged, never shown).
 */
export function errorReply(error: unknown): HttpReply {
  if (error instanceof BodyError) return hostProblem(error.status, error.code, error.message);
  const problem = errorResponse(error);
  if (problem.status === 500) console.error('example app: unexpected error', error);
  return problemReply(problem);
}
