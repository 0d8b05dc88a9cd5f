import { bytesToHex } from '../keys/hex.js';
import { nobleHasher } from '../keys/noble-hasher.js';
import type {
  LeakReport,
  LeakReportMode,
  LeakReportOptions,
  LeakReportOutcome,
} from '../management/keys/leak-reports.js';
import type { Awaitable } from './api-key-guard.js';
import { errorResponse } from './error-response.js';
import { type HeaderSource, headerValues } from './header-source.js';
import { sendsJson } from './json-media-type.js';
import { PROBLEM_CONTENT_TYPE, problemDetails } from './problem-details.js';
import { readLimitedWebBody } from './web-body.js';

/** What the handler needs of a `Keyward` instance: `keys.reportLeaks`. */
export interface LeakReportReceiver {
  /** The key management API (`kw.keys`). */
  readonly keys: {
    /** Checks the reports and acts on the keys whose secrets they hold (`kw.keys.reportLeaks`). */
    reportLeaks(reports: readonly LeakReport[], options: LeakReportOptions): Promise<LeakReportOutcome>;
  };
}

/**
 * A scanner's POST, in framework-free terms. `body` must be the raw bytes (or text) as received:
 * the signature covers them, so a body a framework already parsed cannot be checked.
 */
export interface LeakReportRequest {
  /** The HTTP method, any case; only `POST` is accepted. */
  method: string;
  /** The request headers: a plain record, a Web `Headers` or Node's `rawHeaders`. */
  headers: HeaderSource;
  /** The raw body; `undefined` when none. */
  body?: string | Uint8Array | undefined;
}

/**
 * The handler's answer: status, lowercase headers (always `cache-control: no-store`) and a body
 * to send as `JSON.stringify(body)`.
 */
export interface LeakReportResponse {
  /** 200, or the problem's status. */
  status: number;
  /** Lowercase header names. */
  headers: Record<string, string>;
  /** A {@link LeakReportFeedback} list, or an RFC 9457 problem. */
  body: unknown;
}

/** What the host's signature check receives. */
export interface SignedLeakRequest {
  /** The raw body, byte for byte as received: verify the signature over these bytes. */
  readonly body: Uint8Array;
  /** The request headers as given to the handler. */
  readonly headers: HeaderSource;
  /** One header's value (any case), `undefined` when it is absent or repeated. */
  header(name: string): string | undefined;
}

/**
 * The host's check that a report comes from its scanner: `true` to accept it. GitHub signs the
 * raw body with ECDSA P-256 / SHA-256 and sends the key's id in `Github-Public-Key-Identifier`
 * and the base64 DER signature in `Github-Public-Key-Signature` (see docs/guide.md, "Leak
 * reports"). What it throws goes to the framework's error handling (a 5xx the scanner retries).
 */
export type LeakSignatureCheck = (request: SignedLeakRequest) => Awaitable<boolean>;

/** Options of {@link leakReportHandler}, checked when it is built. */
export interface LeakReportHandlerOptions {
  /** `revoke` the keys whose secrets are reported, or only `report` them (audit). */
  mode: LeakReportMode;
  /** See {@link LeakSignatureCheck}. Required: an unsigned report is never acted on. */
  verifySignature: LeakSignatureCheck;
  /** Largest accepted body in bytes; default 1 MiB (1000 reports of ordinary size). */
  maxBodyBytes?: number | undefined;
}

/** One answer per report, in GitHub's false-positive feedback format. */
export interface LeakReportFeedback {
  /** SHA-256 (hex) of the reported token: the raw token is never sent back. */
  token_hash: string;
  /** The report's `type`. */
  token_type: string;
  /** Whether the token was a real credential of this instance. */
  label: 'true_positive' | 'false_positive';
}

/** The endpoint a secret scanner posts to, as a framework-free function and as a Web handler. */
export interface LeakReportHandler {
  /** Answers one framework-free request. */
  handle(request: LeakReportRequest): Promise<LeakReportResponse>;
  /** The same, as a Web `(Request) => Promise<Response>` handler (Hono, Bun, Deno, Workers, Next.js). */
  fetch(request: Request): Promise<Response>;
}

/** Default largest body: 1 MiB. @internal */
export const DEFAULT_LEAK_REPORT_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_BODY_BYTES = DEFAULT_LEAK_REPORT_MAX_BYTES;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The endpoint for a secret scanner's leak reports (GitHub's secret-scanning partner program):
 * `POST` only (405), at most `maxBodyBytes` (413), `application/json` (415), signed as the host's
 * `verifySignature` decides (401 otherwise, before the body is even parsed), a JSON array of
 * reports (400). It then runs `kw.keys.reportLeaks` and answers 200 with one
 * {@link LeakReportFeedback} per report, in order. Never echoes a token. Throws `TypeError` here
 * for bad options.
 *
 * @example
 * ```ts
 * const leaks = leakReportHandler(kw, {
 *   mode: 'revoke',
 *   verifySignature: ({ body, header }) => github.verify(body, header('github-public-key-identifier'), header('github-public-key-signature')),
 * });
 * // Bun: Bun.serve({ fetch: leaks.fetch }); Express: see docs/guide.md
 * ```
 */
export function leakReportHandler(
  kw: LeakReportReceiver,
  options: LeakReportHandlerOptions,
): LeakReportHandler {
  const { mode, verifySignature } = options;
  if (mode !== 'revoke' && mode !== 'report') {
    throw new TypeError("keyward: leakReportHandler mode must be 'revoke' or 'report'");
  }
  if (typeof verifySignature !== 'function') {
    throw new TypeError(
      'keyward: leakReportHandler needs verifySignature, the check of the scanner signature',
    );
  }
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError('keyward: leakReportHandler maxBodyBytes must be a positive integer');
  }

  const handle = async (request: LeakReportRequest): Promise<LeakReportResponse> => {
    if (request.method.toUpperCase() !== 'POST') {
      return problem(405, 'method_not_allowed', 'Leak reports are sent with POST.', { allow: 'POST' });
    }
    const raw = request.body;
    if (raw !== undefined && typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
      throw new TypeError(
        'keyward: leakReportHandler needs the raw body (string or bytes), not a parsed one',
      );
    }
    if (raw === undefined || raw.length === 0)
      return problem(400, 'missing_body', 'The request has no body.');
    // A string has at least as many UTF-8 bytes as UTF-16 units: a long one is refused unencoded.
    const body = typeof raw === 'string' && raw.length <= maxBytes ? encoder.encode(raw) : raw;
    if (typeof body === 'string' || body.byteLength > maxBytes) {
      return problem(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
    }
    if (!sendsJson(request.headers)) {
      return problem(
        415,
        'unsupported_media_type',
        'Leak reports are JSON sent with content-type: application/json.',
      );
    }
    const header = (name: string) => {
      const values = headerValues(request.headers, name.toLowerCase());
      return values.length === 1 ? values[0] : undefined;
    };
    if ((await verifySignature({ body, headers: request.headers, header })) !== true) {
      return problem(401, 'invalid_signature', 'The report is not signed by the scanner.');
    }
    const reports = parseJson(body);
    if (reports === undefined) return problem(400, 'malformed_json', 'The request body is not valid JSON.');
    try {
      const { results } = await kw.keys.reportLeaks(reports as LeakReport[], { mode });
      const feedback = results.map(({ index, label }) => feedbackOf(reports as LeakReport[], index, label));
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: feedback,
      };
    } catch (error) {
      const answer = errorResponse(error);
      return { status: answer.status, headers: answer.headers, body: answer.body };
    }
  };

  return {
    handle,
    fetch: async (request) => {
      const answer = await handle({
        method: request.method,
        headers: request.headers,
        body: await readLimitedWebBody(request, maxBytes + 1),
      });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
    },
  };
}

/** The JSON value of `body`, or `undefined` when it is not UTF-8 JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(body)) as unknown;
  } catch {
    return undefined;
  }
}

/** GitHub's feedback for report `index` (validated by `reportLeaks`): its token's digest, never the token. */
function feedbackOf(
  reports: readonly LeakReport[],
  index: number,
  label: LeakReportFeedback['label'],
): LeakReportFeedback {
  const report = reports[index] as LeakReport;
  return { token_hash: bytesToHex(nobleHasher.sha256(report.token)), token_type: report.type, label };
}

/** A problem answer (RFC 9457). */
function problem(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): LeakReportResponse {
  return {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: problemDetails(status, code, detail),
  };
}
