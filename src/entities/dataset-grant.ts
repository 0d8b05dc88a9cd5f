import { z } from 'zod';
import { datasetIdSchema } from './ids.js';

/** Most datasets a `selected` account may be granted. */
export const MAX_SELECTED_DATASETS = 1000;

/** A list of distinct dataset ids (1..MAX_SELECTED_DATASETS). */
export const datasetIdListSchema = z
  .array(datasetIdSchema)
  .min(1)
  .max(MAX_SELECTED_DATASETS)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'Dataset ids must be distinct' });

/**
 * Which datasets of its workspace an account reaches: `all` ("grant all workspace data"), or
 * `selected`, which also makes it a dataset-scoped account that cannot call workspace- or
 * tenant-level actions.
 */
export const datasetAccessSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('selected'), datasetIds: datasetIdListSchema }),
]);

/** Dataset access of an account. */
export type DatasetAccess = z.infer<typeof datasetAccessSchema>;

/** Dataset access as a management input takes it (the dataset ids may be a readonly array). */
export type DatasetAccessInput =
  | { readonly mode: 'all' }
  | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };

/** A change of dataset grants: the datasets to add or remove. */
export const datasetGrantSchema = z.strictObject({ datasetIds: datasetIdListSchema });

/** A change of dataset grants. */
export type DatasetGrant = z.infer<typeof datasetGrantSchema>;
