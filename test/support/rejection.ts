import type { KeywardError } from '../../src/index.js';

/** Awaits a call that must fail and returns its error. */
export async function rejection(promise: Promise<unknown>): Promise<KeywardError> {
  try {
    await promise;
  } catch (error) {
    return error as KeywardError;
  }
  throw new Error('expected the call to fail');
}
