import { memoryAdapter } from '../../adapters/memory/index.js';
import { createKeyward, type Keyward, type KeywardConfig, type UserActor } from '../../src/index.js';

/** A controllable clock for tests (epoch ms). */
export interface TestClock {
  now: number;
  advance(ms: number): void;
}

/** The world most lifecycle tests use: tenant t_acme with workspaces w_sales and w_ops. */
export const TENANT = 't_acme';
export const OTHER_TENANT = 't_globex';

/** A tenant-wide admin. */
export const admin: UserActor = { type: 'user', id: 'u_admin', tenantId: TENANT, permissions: ['*'] };
/** An admin of the other tenant. */
export const otherAdmin: UserActor = {
  type: 'user',
  id: 'u_globex',
  tenantId: OTHER_TENANT,
  permissions: ['*'],
};

/** Builds keyward over a fresh memory adapter with a fixed clock. */
export function setup(overrides: Partial<KeywardConfig> = {}): { kw: Keyward; clock: TestClock } {
  const clock: TestClock = {
    now: Date.UTC(2026, 0, 1),
    advance(ms) {
      this.now += ms;
    },
  };
  const kw = createKeyward({
    storage: memoryAdapter(),
    tokenPrefix: 'acme',
    clock: () => clock.now,
    ...overrides,
  });
  return { kw, clock };
}

/** A dataset resource in w_sales. */
export function dataset(datasetId: string, workspaceId = 'w_sales', tenantId = TENANT) {
  return { tenantId, workspaceId, datasetId };
}

/** A workspace resource. */
export function workspace(workspaceId = 'w_sales', tenantId = TENANT) {
  return { tenantId, workspaceId };
}
