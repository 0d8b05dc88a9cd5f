import { z } from 'zod';

/**
 * Free text keyward stores and shows: no control characters (`\p{Cc}`: C0 and C1, newlines,
 * tabs), no format characters (`\p{Cf}`: bidi overrides and isolates such as U+202E and U+2066,
 * zero-width characters, the BOM), no line or paragraph separator (U+2028, U+2029), no lone
 * surrogate. Such code points forge log lines and make a name render as something else in a UI.
 *
 * @example
 * ```ts
 * PLAIN_TEXT.test('ETL nightly'); // true
 * PLAIN_TEXT.test('evil\u202Etxt.exe'); // false
 * ```
 */
export const PLAIN_TEXT = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]*$/u;

/** The message of a {@link PLAIN_TEXT} refusal (it never echoes the value). */
export const PLAIN_TEXT_MESSAGE = 'Control, format (bidi) and line-separator characters are not allowed';

/**
 * A string of at most `max` characters, refused when it holds a code point {@link PLAIN_TEXT}
 * excludes.
 *
 * @example
 * ```ts
 * const labelSchema = plainTextSchema(64);
 * ```
 */
export function plainTextSchema(max: number): z.ZodString {
  return z.string().max(max).regex(PLAIN_TEXT, PLAIN_TEXT_MESSAGE);
}

/**
 * A display name: 1-100 characters once trimmed, plain text ({@link PLAIN_TEXT}). Checked before
 * trimming, so a separator or bidi control at either end is refused, not silently dropped.
 */
export const nameSchema = z.string().regex(PLAIN_TEXT, PLAIN_TEXT_MESSAGE).trim().min(1).max(100);

/** A free-text description: up to 500 characters of plain text ({@link PLAIN_TEXT}). */
export const descriptionSchema = plainTextSchema(500);

/** A contact email address (up to 254 characters). */
export const contactEmailSchema = z.string().max(254).pipe(z.email());

/**
 * Host metadata: up to 20 flat string/number/boolean values; keys and string values are plain
 * text ({@link PLAIN_TEXT}). Never put secrets here.
 */
export const metadataSchema = z
  .record(plainTextSchema(64).min(1), z.union([plainTextSchema(256), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 20, { message: 'At most 20 metadata entries' });

/** Host metadata values. */
export type Metadata = z.infer<typeof metadataSchema>;
