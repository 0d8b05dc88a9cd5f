import type { ServerResponse } from 'node:http';

/**
 * Sends a framework-free answer (`{ status, headers, body }`) with Node's own API:
 * `JSON.stringify(body)`, nothing for a `null` body, so every framework sends the same bytes.
 *
 * @internal
 */
export function sendAnswer(
  res: ServerResponse,
  answer: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown },
): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body === null ? undefined : JSON.stringify(answer.body));
}
