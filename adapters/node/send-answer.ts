import type { ServerResponse } from 'node:http';
import { responseBody } from '../../src/management-api/response-body.js';

/**
 * Sends a framework-free answer (`{ status, headers, body }`) with Node's own API, its body as
 * {@link responseBody} makes it, so every framework sends the same bytes.
 *
 * @internal
 */
export function sendAnswer(
  res: ServerResponse,
  answer: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown },
): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(responseBody(answer.body));
}
