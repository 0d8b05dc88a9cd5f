export type { AdminPageOptions } from './admin-page/admin-page-options.js';
export {
  type ManagementFetchHandler,
  type ManagementFetchOptions,
  managementFetchHandler,
  toWebResponse,
} from './fetch-handler.js';
export { createManagementApi } from './management-api.js';
export type {
  AuthenticateHook,
  ManagementApi,
  ManagementApiOptions,
  ManagementLimitHook,
  ManagementRequest,
  ManagementResponse,
} from './management-request.js';
export type { OpenApiDocument } from './openapi/openapi-types.js';
export type { DirectoryEntry, WorkspaceDirectory } from './workspace-directory.js';
