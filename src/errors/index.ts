export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export type { KeywardErrorDetails, NoErrorDetails, StorageErrorDetails } from './error-details.js';
export {
  type AnyKeywardError,
  isKeywardError,
  KeywardError,
  type KeywardErrorDetailsOf,
  type KeywardErrorOptions,
  type ValidationIssue,
} from './keyward-error.js';
