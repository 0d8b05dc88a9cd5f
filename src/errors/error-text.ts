/** What replaces a token-shaped word in error text. */
export const REDACTED = '[redacted]';

/** Runs of token characters (base62 and `_`): a token is always one whole run. */
const WORD = /[0-9A-Za-z_]+/g;
/** A key id: 16 base62 characters. */
const KEY_ID = /^[0-9A-Za-z]{16}$/;
/** A secret with its checksum: 28+ base62 characters (the shortest secret accepted is 22, plus 6). */
const SECRET = /^[0-9A-Za-z]{28,}$/;
/** Code points that forge log lines or spoof a UI (see `entities/text.ts`), escaped in error text. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * True when the `_`-separated segments of a word hold a key id followed by a secret: the tail of
 * `<prefix>_<keyId>_<secret><crc>`. The prefix is not required, so a pasted `<keyId>_<secret>`
 * is caught too.
 */
function holdsToken(word: string): boolean {
  const segments = word.split('_');
  for (let i = 0; i + 1 < segments.length; i++) {
    if (KEY_ID.test(segments[i] as string) && SECRET.test(segments[i + 1] as string)) return true;
  }
  return false;
}

/**
 * Replaces every word of `text` that holds a token (`<prefix>_<16 base62 key id>_<28+ base62
 * secret and checksum>`, prefix segments `[a-z0-9]+`) with `[redacted]`. The whole run of token
 * characters goes, so no part of the secret survives. Linear in the length of `text`.
 *
 * @example
 * ```ts
 * redactTokens(`no key ${token}`); // 'no key [redacted]'
 * ```
 */
export function redactTokens(text: string): string {
  if (!text.includes('_')) return text;
  return text.replace(WORD, (word) => (word.length >= 45 && holdsToken(word) ? REDACTED : word));
}

/**
 * Error text safe to log and show: tokens redacted, and control, format (bidi), line- and
 * paragraph-separator code points written as visible `\u{...}` escapes.
 *
 * @example
 * ```ts
 * safeErrorText('a\u2028b'); // 'a\\u{2028}b'
 * ```
 */
export function safeErrorText(text: string): string {
  return redactTokens(text).replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
}
