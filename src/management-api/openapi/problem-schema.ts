import { z } from 'zod';
import type { ProblemDetails } from '../../http/problem-details.js';

/** One entry of `errors` in an `invalid_input` problem. @internal */
export const problemFieldErrorSchema = z.strictObject({
  /** A JSON Pointer (RFC 6901) into the request body or query, as a URI fragment: `#/roles/0`. */
  pointer: z.string().regex(/^#(\/.*)?$/),
  /** zod's issue code (`invalid_type`, `too_small`, `unrecognized_keys`, `custom`...). */
  code: z.string(),
  /** What is wrong; never an echo of the value. */
  detail: z.string(),
});

/**
 * An RFC 9457 problem body as keyward writes it. Loose: RFC 9457 lets a problem carry more
 * extension members, and a client should ignore those it does not know.
 *
 * @internal
 */
export const problemDetailsSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  /** keyward's stable machine code (`invalid_input`, `not_found`, `read_only`...). */
  code: z.string(),
  /** On 403 refusals: the permission the request needed. */
  required: z.string().optional(),
  /** On `invalid_input`: every validation issue. */
  errors: z.array(problemFieldErrorSchema).optional(),
  /** On 403 `exceeds_creator_rights`: the permissions beyond the creator's. */
  exceeding: z.array(z.string()).optional(),
  /** On 403 `ip_not_allowed`: whose IP allowlist refused the address. */
  layer: z.enum(['account', 'key']).optional(),
});

/** Compiles only for `true`. */
type Holds<T extends true> = T;

/** Compiles only while the schema accepts every {@link ProblemDetails}. Nothing here runs. @internal */
export type ProblemSchemaCheck = Holds<
  ProblemDetails extends z.output<z.ZodObject<typeof problemDetailsSchema.shape>> ? true : false
>;
