import type { KeyEnvironment } from '../entities/api-key.js';
import { createTokenParser, type TokenParser } from './token-parser.js';
import type { TokenPrefixes } from './token-prefixes.js';

/**
 * The request path's parser over the configured prefixes, built once: one
 * {@link createTokenParser} parser per distinct prefix.
 *
 * @internal
 */
export interface EnvironmentTokenParser {
  /**
   * Parses a token under the prefix it starts with (prefixes never start one another, so at most
   * one applies). As allocation-free on rejection as a single-prefix parser.
   */
  readonly parse: TokenParser;
  /**
   * The environment the prefix of a token `parse` accepted names, or `null` when both
   * environments share one prefix (the token then says nothing about it).
   */
  readonly environmentOf: (token: string) => KeyEnvironment | null;
}

/** A shared prefix names no environment. */
const UNNAMED = (): null => null;

/**
 * Builds the parser of {@link EnvironmentTokenParser} for validated `prefixes`.
 *
 * @internal
 */
export function createEnvironmentTokenParser(
  prefixes: TokenPrefixes,
  secretLength: number | undefined,
): EnvironmentTokenParser {
  const live = createTokenParser({ prefix: prefixes.live, secretLength });
  if (prefixes.test === prefixes.live) return { parse: live, environmentOf: UNNAMED };
  const test = createTokenParser({ prefix: prefixes.test, secretLength });
  const liveHead = `${prefixes.live}_`;
  return {
    parse: (token) => (typeof token === 'string' && token.startsWith(liveHead) ? live(token) : test(token)),
    environmentOf: (token) => (token.startsWith(liveHead) ? 'live' : 'test'),
  };
}
