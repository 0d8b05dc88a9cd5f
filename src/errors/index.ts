export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export {
  isKeywardError,
  KeywardError,
  type KeywardErrorOptions,
  type ValidationIssue,
} from './keyward-error.js';
