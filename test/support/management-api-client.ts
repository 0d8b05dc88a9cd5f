import type { UserActor } from '../../src/index.js';
import { createManagementApi } from '../../src/management-api/index.js';
import type {
  ManagementApiOptions,
  ManagementResponse,
} from '../../src/management-api/management-request.js';
import { admin, otherAdmin, setup, TENANT } from './keyward-fixture.js';

/** A user of `t_acme` confined to `w_sales`, who may read accounts and datasets only. */
export const limitedUser: UserActor = {
  type: 'user',
  id: 'u_limited',
  tenantId: TENANT,
  permissions: ['service_accounts:read', 'datasets:read', 'tenant.workspaces:list'],
  workspaceIds: ['w_sales'],
};

/** The people the stand-in `authenticate` knows, by the `x-test-user` header. */
const PEOPLE: Readonly<Record<string, UserActor>> = { admin, other: otherAdmin, limited: limitedUser };

/** Options of one test request. */
export interface TestCall {
  /** A JSON value sent as `application/json` text. */
  json?: unknown;
  /** Extra headers (lowercase). */
  headers?: Record<string, string>;
  /** Who the stand-in session is (`admin`, `other`, `limited`), or `null` for no session. Default `admin`. */
  as?: 'admin' | 'other' | 'limited' | null;
}

/** A management API over a fresh memory keyward, with a stand-in session header. */
export function managementApiSetup(options: Omit<ManagementApiOptions, 'authenticate'> = {}) {
  const { kw, clock } = setup();
  const api = createManagementApi(kw, {
    ...options,
    authenticate: (request) => {
      const name = (request.headers as Record<string, string>)['x-test-user'];
      return name === undefined ? null : (PEOPLE[name] ?? null);
    },
  });
  async function call(method: string, path: string, options: TestCall = {}): Promise<ManagementResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const as = options.as === undefined ? 'admin' : options.as;
    if (as !== null) headers['x-test-user'] = as;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    return api.handle({ method, path, headers, body, ip: '203.0.113.7' });
  }
  return { kw, clock, api, call };
}

/** A JSON body read loosely in assertions: the expectations check its shape at run time. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk JSON bodies whose shape they then check
type LooseJson = Record<string, any>;

/** The body of a response, typed loosely for assertions. */
export function bodyOf(response: ManagementResponse): LooseJson {
  return response.body as LooseJson;
}
