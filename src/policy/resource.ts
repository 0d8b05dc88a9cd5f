/**
 * What a request touches. The action's scope says which fields it must carry: `dataset` needs
 * `workspaceId` and `datasetId`, `workspace` needs `workspaceId`, `tenant` needs `tenantId`
 * only. A `workspaceId` given to a tenant-level action is checked against the binding too.
 *
 * @example
 * ```ts
 * const resource: Resource = { tenantId: 't_1', workspaceId: 'w_1', datasetId: 'sales' };
 * ```
 */
export interface Resource {
  /** The tenant that owns the resource. */
  readonly tenantId: string;
  /** The workspace, for workspace- and dataset-level actions. */
  readonly workspaceId?: string | undefined;
  /** The dataset, for dataset-level actions. */
  readonly datasetId?: string | undefined;
}
