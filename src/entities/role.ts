import { z } from 'zod';
import { grantPatternSchema, roleNameSchema } from './ids.js';

/** A role: a named set of grant patterns over the permission catalog. */
export const roleSchema = z.strictObject({
  name: roleNameSchema,
  description: z.string().max(500).optional(),
  grants: z.array(grantPatternSchema).max(500),
  /** `false` for roles such as the workspace `owner` that no service account may hold. */
  assignableToServiceAccounts: z.boolean(),
});

/** A role definition. */
export type Role = z.infer<typeof roleSchema>;

/** The roles of an account: 1-20 distinct role names. */
export const roleListSchema = z
  .array(roleNameSchema)
  .min(1)
  .max(20)
  .refine((roles) => new Set(roles).size === roles.length, { message: 'Roles must be distinct' });
