export { createManagementApi } from './management-api.js';
export type {
  AuthenticateHook,
  ManagementApi,
  ManagementApiOptions,
  ManagementRequest,
  ManagementResponse,
} from './management-request.js';
