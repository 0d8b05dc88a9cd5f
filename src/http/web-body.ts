/** Concatenates `chunks` (`size` bytes in all) into one array, as a body reader collects them. @internal */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads at most `limit` bytes of a Web `Request` body (with `limit` one above the accepted size,
 * enough to refuse an oversized body with 413 without buffering it whole). `undefined` when there
 * is none.
 *
 * @internal
 */
export async function readLimitedWebBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return concatBytes(chunks, size);
}
