/**
 * `keyward/http`: the framework-free HTTP layer `keyward/express`, `keyward/fastify` and
 * `keyward/hono` are built on: the API-key guard, the management API (`createManagementApi`, and
 * `managementFetchHandler` for every runtime that speaks Web `Request` / `Response`), credential
 * extraction, the outcome table (verify result to HTTP status), RFC 9457 problem details and the
 * `WWW-Authenticate` challenge. Use it to mount keyward on another framework.
 *
 * @example
 * ```ts
 * import { createApiKeyGuard } from 'keyward/http';
 *
 * const guard = createApiKeyGuard(kw, { realm: 'acme' });
 * ```
 *
 * @packageDocumentation
 * @module keyward/http
 */
export {
  type ApiKeyGuard,
  type ApiKeyGuardOptions,
  type ApiKeyRoute,
  type ApiKeyVerifier,
  type Awaitable,
  createApiKeyGuard,
  type GuardOutcome,
  type GuardRequest,
  type RateLimitVerdict,
  type RequestResource,
  type RequestResourceResolver,
} from '../http/api-key-guard.js';
export type { ClientAddress } from '../http/client-address.js';
export {
  type CredentialExtractionOptions,
  type CredentialExtractor,
  type CredentialFailureReason,
  type CredentialRequest,
  type CredentialResult,
  createCredentialExtractor,
  DEFAULT_MAX_CREDENTIAL_LENGTH,
  extractCredential,
} from '../http/credential-extraction.js';
export { errorResponse, KEYWARD_ERROR_STATUS } from '../http/error-response.js';
export {
  DEFAULT_FAILED_VERIFICATION_THROTTLE,
  type FailedVerificationThrottleOptions,
} from '../http/failed-verification-throttle.js';
export type { HeaderSource } from '../http/header-source.js';
export { type DenialContext, type HttpDenial, httpDenial } from '../http/http-denial.js';
export {
  FAMILY_STATUS,
  HTTP_OUTCOME_TABLE,
  type HttpOutcomeCode,
  type HttpOutcomeFamily,
  httpStatusFor,
  outcomeFamily,
} from '../http/http-status-table.js';
export {
  type LeakReportFeedback,
  type LeakReportHandler,
  type LeakReportHandlerOptions,
  type LeakReportReceiver,
  type LeakReportRequest,
  type LeakReportResponse,
  type LeakSignatureCheck,
  leakReportHandler,
  type SignedLeakRequest,
} from '../http/leak-report-handler.js';
export {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemFieldError,
  type ProblemOptions,
  type ProblemResponse,
  problemDetails,
} from '../http/problem-details.js';
export { CREDENTIAL_QUERY_PARAMS } from '../http/query-credential.js';
export { rateLimitHeaders } from '../http/rate-limit-headers.js';
export { type VerifyFailureFacts, verifyDenial } from '../http/verify-denial.js';
export { type BearerChallengeError, bearerChallenge, validateRealm } from '../http/www-authenticate.js';
export type {
  LeakReport,
  LeakReportMode,
  LeakReportOptions,
  LeakReportOutcome,
  LeakReportResult,
} from '../management/keys/leak-reports.js';
export {
  type AdminPageOptions,
  type AuthenticateHook,
  createManagementApi,
  type DirectoryEntry,
  type ManagementApi,
  type ManagementApiOptions,
  type ManagementFetchHandler,
  type ManagementFetchOptions,
  type ManagementLimitHook,
  type ManagementRequest,
  type ManagementResponse,
  managementFetchHandler,
  type OpenApiDocument,
  toWebResponse,
  type WorkspaceDirectory,
} from '../management-api/index.js';
