import { z } from 'zod';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../errors/keyward-error.js';

/** Shortest pepper accepted, in bytes (256 bits). */
export const MIN_PEPPER_BYTES = 32;

/**
 * A host secret mixed into token digests with HMAC-SHA256, so a leaked database alone
 * cannot be used to forge or check digests. `id` is stored with each digest so peppers can
 * rotate. A string `secret` is used as its UTF-8 bytes; either form needs >= 32 bytes.
 *
 * @example
 * ```ts
 * const pepper: Pepper = { id: '2025-01', secret: process.env.KEYWARD_PEPPER! };
 * ```
 */
export interface Pepper {
  /** Stored next to each digest: 1-64 characters of `[A-Za-z0-9._:-]`. */
  readonly id: string;
  /** At least 32 bytes (a string counts its UTF-8 bytes). Never logged or echoed. */
  readonly secret: string | Uint8Array;
}

/** A pepper id: 1-64 URL- and log-safe characters. */
export const pepperIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'Expected 1-64 characters of [A-Za-z0-9._:-]');

/** The peppers a token hasher knows, as private byte copies, by id. @internal */
export interface PepperSet {
  /** The pepper new digests use, or null for plain SHA-256. */
  readonly current: { readonly id: string; readonly key: Uint8Array } | null;
  /** Every known pepper (current and previous) by id. */
  readonly byId: ReadonlyMap<string, Uint8Array>;
}

/**
 * Validates the current and previous peppers and copies their bytes. Throws
 * `INVALID_CONFIG` listing every problem; secrets never appear in the error.
 *
 * @internal
 */
export function loadPeppers(pepper: Pepper | undefined, previous: readonly Pepper[] | undefined): PepperSet {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, Uint8Array>();
  const add = (candidate: unknown, path: readonly PropertyKey[]): { id: string; key: Uint8Array } | null => {
    const loaded = loadPepper(candidate, path, issues);
    if (loaded === null) return null;
    if (byId.has(loaded.id)) {
      issues.push({ code: 'custom', path: [...path, 'id'], message: 'Duplicate pepper id' });
      return null;
    }
    byId.set(loaded.id, loaded.key);
    return loaded;
  };
  const current = pepper === undefined ? null : add(pepper, ['pepper']);
  if (previous !== undefined && !Array.isArray(previous)) {
    issues.push({ code: 'invalid_type', path: ['previousPeppers'], message: 'Expected an array of peppers' });
  } else {
    for (const [index, old] of (previous ?? []).entries()) add(old, ['previousPeppers', index]);
  }
  if (issues.length > 0)
    throw new KeywardError(ERROR_CODES.INVALID_CONFIG, 'Invalid pepper configuration', { issues });
  return { current, byId };
}

/** Checks one pepper, pushing issues; returns its id and a private copy of its bytes. */
function loadPepper(
  candidate: unknown,
  path: readonly PropertyKey[],
  issues: ValidationIssue[],
): { id: string; key: Uint8Array } | null {
  if (typeof candidate !== 'object' || candidate === null) {
    issues.push({ code: 'invalid_type', path, message: 'Expected a pepper { id, secret }' });
    return null;
  }
  const { id, secret } = candidate as { id?: unknown; secret?: unknown };
  const idResult = pepperIdSchema.safeParse(id);
  if (!idResult.success)
    issues.push({
      code: 'invalid_format',
      path: [...path, 'id'],
      message: 'Expected 1-64 characters of [A-Za-z0-9._:-]',
    });
  let key: Uint8Array | null = null;
  if (typeof secret === 'string') key = new TextEncoder().encode(secret);
  else if (secret instanceof Uint8Array) key = secret.slice();
  if (key === null || key.length < MIN_PEPPER_BYTES) {
    issues.push({
      code: key === null ? 'invalid_type' : 'too_small',
      path: [...path, 'secret'],
      message: `Expected a string or Uint8Array of at least ${MIN_PEPPER_BYTES} bytes`,
    });
    key?.fill(0);
    return null;
  }
  return idResult.success ? { id: idResult.data, key } : null;
}
