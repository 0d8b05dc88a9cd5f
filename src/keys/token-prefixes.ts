import { z } from 'zod';
import { parseConfig } from '../errors/parse-input.js';
import { tokenPrefixSchema, validateTokenPrefix } from './token-prefix.js';

/**
 * One token prefix per key environment, e.g. `{ live: 'acme_live', test: 'acme_test' }`: a
 * token then says which environment it belongs to, for people, logs and secret scanners.
 *
 * @example
 * ```ts
 * createKeyward({ storage, tokenPrefix: { live: 'acme_live', test: 'acme_test' } });
 * ```
 */
export interface TokenPrefixes {
  /** Prefix of `live` keys' tokens. */
  readonly live: string;
  /** Prefix of `test` keys' tokens. */
  readonly test: string;
}

/** True when the `<prefix>_` forms of `a` and `b` are distinct and neither starts the other. */
function separable(a: string, b: string): boolean {
  return !`${a}_`.startsWith(`${b}_`) && !`${b}_`.startsWith(`${a}_`);
}

/**
 * Per-environment token prefixes: both valid prefixes, distinct, and neither `<prefix>_` the
 * start of the other's (`acme` with `acme_test` is refused), so a token parses under at most one.
 *
 * @example
 * ```ts
 * tokenPrefixesSchema.parse({ live: 'acme_live', test: 'acme_test' }); // ok
 * tokenPrefixesSchema.parse({ live: 'acme', test: 'acme_test' }); // throws: `acme_` starts `acme_test_`
 * ```
 */
export const tokenPrefixesSchema = z
  .strictObject({ live: tokenPrefixSchema, test: tokenPrefixSchema })
  .refine(({ live, test }) => separable(live, test), {
    message: 'The live and test prefixes must differ, and neither `<prefix>_` may start the other',
    path: ['test'],
  });

/**
 * The prefixes of a `tokenPrefix` setting: a string serves both environments (`live` and `test`
 * are then equal), an object gives one per environment. Returns a frozen object, or throws
 * `KeywardError` `INVALID_CONFIG` (issues under the path `tokenPrefix`). Call it once, at
 * config time.
 *
 * @example
 * ```ts
 * resolveTokenPrefixes('acme'); // { live: 'acme', test: 'acme' }
 * resolveTokenPrefixes({ live: 'acme_live', test: 'acme_test' }); // as given
 * resolveTokenPrefixes({ live: 'acme', test: 'acme' }); // throws INVALID_CONFIG
 * ```
 */
export function resolveTokenPrefixes(setting: unknown): TokenPrefixes {
  if (typeof setting !== 'object' || setting === null) {
    const prefix = validateTokenPrefix(setting);
    return Object.freeze({ live: prefix, test: prefix });
  }
  const { live, test } = parseConfig(tokenPrefixesSchema, setting, 'tokenPrefix', 'tokenPrefix');
  return Object.freeze({ live, test });
}
