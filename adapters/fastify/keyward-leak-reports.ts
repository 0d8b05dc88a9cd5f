import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_LEAK_REPORT_MAX_BYTES,
  type LeakReportHandlerOptions,
  type LeakReportReceiver,
  leakReportHandler,
} from '../../src/http/leak-report-handler.js';
import { readLimitedBody } from '../node/request-body.js';

/** Options of {@link keywardLeakReports}: the handler's, the instance, and the route's path. */
export interface KeywardLeakReportsOptions extends LeakReportHandlerOptions {
  /** The keyward instance (`kw`). */
  keyward: LeakReportReceiver;
  /** Where the scanner posts, e.g. `/secret-scanning` (under the registration's prefix). */
  path: string;
}

/** The plugin: one route, its body read raw (the signature covers its bytes) inside its own context. */
async function keywardLeakReportsPlugin(
  fastify: FastifyInstance,
  options: KeywardLeakReportsOptions,
): Promise<void> {
  if (options === null || typeof options !== 'object' || typeof options.path !== 'string') {
    throw new TypeError('keyward: keywardLeakReports needs options { keyward, path, mode, verifySignature }');
  }
  const handler = leakReportHandler(options.keyward, options);
  const limit = (options.maxBodyBytes ?? DEFAULT_LEAK_REPORT_MAX_BYTES) + 1;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    readLimitedBody(payload, limit).then(
      (bytes) => done(null, bytes),
      (error: Error) => done(error, undefined),
    );
  });
  fastify.all(options.path, async (request: FastifyRequest, reply: FastifyReply) => {
    const body =
      request.body instanceof Uint8Array
        ? request.body
        : request.method === 'POST'
          ? await readLimitedBody(request.raw, limit)
          : undefined;
    const answer = await handler.handle({ method: request.method, headers: request.raw.rawHeaders, body });
    // A Buffer, so Fastify sends the media type as given (it appends a charset to strings).
    return reply
      .code(answer.status)
      .headers(answer.headers)
      .send(Buffer.from(JSON.stringify(answer.body)));
  });
}

/**
 * The endpoint a secret scanner (GitHub's secret-scanning partner program) posts leaked tokens
 * to: `leakReportHandler` of `keyward/http` as a Fastify 5 plugin with one route at `path`.
 * Revokes (or, in `report` mode, only audits) every key whose secret a report holds;
 * `verifySignature` is the host's check of the scanner's signature over the raw body, which the
 * plugin reads itself (its parsers stay inside its own context). Encapsulated: register it as it
 * is. Options are checked when it is registered.
 *
 * @example
 * ```ts
 * await app.register(keywardLeakReports, {
 *   keyward: kw,
 *   path: '/secret-scanning',
 *   mode: 'revoke',
 *   verifySignature: (request) => github.verify(request),
 * });
 * ```
 */
export const keywardLeakReports: FastifyPluginAsync<KeywardLeakReportsOptions> = keywardLeakReportsPlugin;
