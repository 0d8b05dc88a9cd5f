import { type RequestContext, requestContextSchema } from '../entities/audit-event.js';
import { parseInput } from '../errors/parse-input.js';

/** Options every management call accepts after its input. */
export interface CallMeta {
  /** Request metadata recorded in the audit trail (ip, user agent, request id). */
  readonly request?:
    | { ip?: string | undefined; userAgent?: string | undefined; requestId?: string | undefined }
    | undefined;
}

/** What a call's metadata may hold: `url` and `source` are a leak report's, never a caller's. */
const callRequestSchema = requestContextSchema.omit({ url: true, source: true });

/** Validates the request metadata of a call (lengths are bounded: it lands in the audit trail). @internal */
export function requestOf(meta: CallMeta | undefined): RequestContext {
  if (meta?.request === undefined) return {};
  return parseInput(callRequestSchema, meta.request, 'request metadata');
}
