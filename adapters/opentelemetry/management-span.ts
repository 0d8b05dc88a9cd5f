import {
  type Attributes,
  type Exception,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { KEYWARD_ATTRIBUTES as ATTR } from './keyward-attributes.js';
import type { KeywardInstruments } from './keyward-instruments.js';

/** What of a thrown value may be recorded: a short code-like word, never free text. */
const CODE_LIKE = /^[\w.:-]{1,64}$/;

/** What a failure is recorded as: a stable class, the keyward code, and the exception to record. */
interface FailureFacts {
  /** `error.type`: the `KeywardError` code, a code-like `code`, the error's name, or `_OTHER`. */
  readonly type: string;
  /** The `KeywardError` code, when it is one. */
  readonly keywardCode: string | undefined;
  /** The exception event: name and code, plus the message of a `KeywardError` (kept secret-free by keyward). */
  readonly exception: Exception;
}

/**
 * The recordable facts of a thrown value. A `KeywardError`'s `details` and issues are left out,
 * as are every other error's message and stack (a driver's message may quote a query).
 */
function failureFacts(error: unknown): FailureFacts {
  if (error instanceof KeywardError) {
    return {
      type: error.code,
      keywardCode: error.code,
      exception: { name: error.name, code: error.code, message: error.message },
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const safeCode = typeof code === 'string' && CODE_LIKE.test(code) ? code : undefined;
    const name = CODE_LIKE.test(error.name) ? error.name : 'Error';
    return {
      type: safeCode ?? name,
      keywardCode: undefined,
      exception: safeCode === undefined ? { name } : { name, code: safeCode },
    };
  }
  return { type: '_OTHER', keywardCode: undefined, exception: { name: '_OTHER' } };
}

/** Marks `span` failed with the recordable facts of `error`, and answers the counter's attributes. */
function recordFailure(span: Span, error: unknown, operation: string): Attributes {
  const facts = failureFacts(error);
  if (facts.keywardCode !== undefined) span.setAttribute(ATTR.errorCode, facts.keywardCode);
  span.setAttribute(ATTR.errorType, facts.type);
  span.recordException(facts.exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: facts.type });
  return { [ATTR.operation]: operation, [ATTR.outcome]: 'error', [ATTR.errorType]: facts.type };
}

/**
 * Runs one management call inside an active `keyward.management <name>` span, so the spans of
 * what it calls (storage, a database driver's instrumentation) nest under it, and counts it on
 * `keyward.management.calls`. Answers what `run` answers; rethrows what it throws, after marking
 * the span failed.
 *
 * @internal
 */
export function runManagementCall<T>(
  tracer: Tracer,
  instruments: KeywardInstruments,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  const options = { kind: SpanKind.INTERNAL, attributes: { [ATTR.operation]: name } };
  return tracer.startActiveSpan(`keyward.management ${name}`, options, async (span) => {
    try {
      const value = await run();
      instruments.managementCalls.add(1, { [ATTR.operation]: name, [ATTR.outcome]: 'success' });
      return value;
    } catch (error) {
      instruments.managementCalls.add(1, recordFailure(span, error, name));
      throw error;
    } finally {
      span.end();
    }
  });
}
