import type { Readable } from 'node:stream';
import { concatBytes as concat } from '../../src/http/web-body.js';

/**
 * Reads at most `limit` bytes of a Node request body (Express `req`, Fastify's payload stream):
 * with `limit` one above the API's `maxBodyBytes`, the management API sees that a body is too
 * large and answers its own 413, without the whole body ever being buffered. Past the limit the
 * rest is drained and dropped, so the connection can still carry the answer (and keep alive).
 * An empty array when there is no body (or it was read to its end already); rejects when the
 * client aborts.
 *
 * @internal
 */
export function readLimitedBody(stream: Readable, limit: number): Promise<Uint8Array> {
  if (stream.readableEnded) return Promise.resolve(new Uint8Array(0));
  if (stream.destroyed) return Promise.reject(new Error('keyward: the request body is no longer readable'));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      chunks.push(bytes);
      size += bytes.byteLength;
      if (size > limit) {
        cleanup();
        // No 'data' listener left: a flowing stream drops what still arrives.
        stream.resume();
        resolve(concat(chunks, size));
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('keyward: the request was aborted before its body was read'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
