/**
 * What a mount sends as the body of a management answer: nothing for `null`, the bytes of a
 * `Uint8Array` as they are (the admin page's files), else `JSON.stringify(body)`. Every mount
 * sends through this one function, so every framework answers the same bytes.
 *
 * @example
 * ```ts
 * const body = responseBody(answer.body); // string | Uint8Array | undefined
 * res.end(body);
 * ```
 *
 * @internal
 */
export function responseBody(body: unknown): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}
