export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export { KeywardError, isKeywardError, type KeywardErrorOptions, type ValidationIssue } from './keyward-error.js';

