import { type HMAC, hmac } from '@noble/hashes/hmac.js';
import { type SHA256, sha256 } from '@noble/hashes/sha2.js';
import type { Hasher } from './hasher.js';

const utf8 = new TextEncoder();

/**
 * Per key, the HMAC state after absorbing the padded key (computed once) and a scratch
 * instance the state is cloned into on each call, so a call costs only the message blocks.
 */
interface KeyedHmac {
  /** A private copy of the key, to notice a caller mutating its array. */
  readonly key: Uint8Array;
  readonly keyed: HMAC<SHA256>;
  readonly scratch: HMAC<SHA256>;
}

/** Prepared HMAC states by key identity (peppers are long-lived byte arrays). */
const keyedStates = new WeakMap<Uint8Array, KeyedHmac>();

/** Returns the prepared HMAC state for `key`, building it on first use. */
function keyedHmac(key: Uint8Array): KeyedHmac {
  const found = keyedStates.get(key);
  if (found !== undefined && sameBytes(found.key, key)) return found;
  const keyed: HMAC<SHA256> = hmac.create(sha256, key);
  const state: KeyedHmac = { key: key.slice(), keyed, scratch: keyed.clone() };
  keyedStates.set(key, state);
  return state;
}

/** Plain byte equality (the key is the caller's own, not a secret compared against input). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The pure-JavaScript {@link Hasher} on `@noble/hashes` (audited, no dependencies): runs on
 * Node, Bun, Deno, browsers and edge runtimes. The default. HMAC states are prepared once
 * per key array and reused while its bytes are unchanged.
 *
 * @example
 * ```ts
 * createTokenHasher({ hasher: nobleHasher });
 * ```
 */
export const nobleHasher: Hasher = Object.freeze({
  name: 'noble',
  sha256(data: string): Uint8Array {
    return sha256(utf8.encode(data));
  },
  hmacSha256(key: Uint8Array, data: string): Uint8Array {
    const { keyed, scratch } = keyedHmac(key);
    keyed._cloneInto(scratch);
    return scratch.update(utf8.encode(data)).digest();
  },
});
