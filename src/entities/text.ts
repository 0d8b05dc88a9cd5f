import { z } from 'zod';

/** Rejects C0/C1 control characters (newlines included), which break logs and UIs. */
const NO_CONTROL = /^[^\p{Cc}]*$/u;

/** A display name: 1-100 characters, trimmed, no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(NO_CONTROL, 'Control characters are not allowed');

/** A free-text description: up to 500 characters, no control characters except none at all. */
export const descriptionSchema = z.string().max(500).regex(NO_CONTROL, 'Control characters are not allowed');

/** A contact email address (up to 254 characters). */
export const contactEmailSchema = z.string().max(254).pipe(z.email());

/** Host metadata: up to 20 flat string/number/boolean values. Never put secrets here. */
export const metadataSchema = z
  .record(
    z.string().min(1).max(64).regex(NO_CONTROL),
    z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
  )
  .refine((value) => Object.keys(value).length <= 20, { message: 'At most 20 metadata entries' });

/** Host metadata values. */
export type Metadata = z.infer<typeof metadataSchema>;
