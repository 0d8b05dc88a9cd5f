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
} from './api-key-guard.js';
export {
  type CredentialExtractionOptions,
  type CredentialExtractor,
  type CredentialFailureReason,
  type CredentialRequest,
  type CredentialResult,
  createCredentialExtractor,
  DEFAULT_MAX_CREDENTIAL_LENGTH,
  extractCredential,
} from './credential-extraction.js';
export { errorResponse, KEYWARD_ERROR_STATUS } from './error-response.js';
export type { HeaderSource } from './header-source.js';
export { type DenialContext, type HttpDenial, httpDenial } from './http-denial.js';
export {
  FAMILY_STATUS,
  HTTP_OUTCOME_TABLE,
  type HttpOutcomeCode,
  type HttpOutcomeFamily,
  httpStatusFor,
  outcomeFamily,
} from './http-status-table.js';
export {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemFieldError,
  type ProblemOptions,
  type ProblemResponse,
  problemDetails,
} from './problem-details.js';
export { CREDENTIAL_QUERY_PARAMS } from './query-credential.js';
export {
  SAMPLE_CODE_LANGUAGES,
  type SampleCodeInput,
  type SampleCodeLanguage,
  sampleCode,
  sampleCodeInputSchema,
} from './sample-code.js';
export { type BearerChallengeError, bearerChallenge, validateRealm } from './www-authenticate.js';
