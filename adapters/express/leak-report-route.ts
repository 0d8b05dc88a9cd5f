import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  DEFAULT_LEAK_REPORT_MAX_BYTES,
  type LeakReportHandlerOptions,
  type LeakReportReceiver,
  leakReportHandler,
} from '../../src/http/leak-report-handler.js';
import { readLimitedBody } from '../node/request-body.js';
import { sendAnswer } from '../node/send-answer.js';

/**
 * Builds the Express handler of a secret scanner's leak reports over `leakReportHandler`: the raw
 * body is read here (capped one byte past the limit, so the handler answers 413 itself), since
 * the signature covers its exact bytes. Mount it with no body parser in front of it.
 *
 * @internal
 */
export function createLeakReportRoute(
  kw: LeakReportReceiver,
  options: LeakReportHandlerOptions,
): RequestHandler {
  const handler = leakReportHandler(kw, options);
  const limit = (options.maxBodyBytes ?? DEFAULT_LEAK_REPORT_MAX_BYTES) + 1;
  return async function keywardLeakReports(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      if (req.readableEnded) {
        throw new TypeError(
          'keyward: leak reports need the raw body; mount no body parser before this route',
        );
      }
      const body = req.method === 'POST' ? await readLimitedBody(req, limit) : undefined;
      sendAnswer(res, await handler.handle({ method: req.method, headers: req.rawHeaders, body }));
    } catch (error) {
      next(error);
    }
  };
}
