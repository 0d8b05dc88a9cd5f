import type { ServiceAccount, ServiceAccountStatus } from '../entities/service-account.js';
import {
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../entities/service-account-inputs.js';
import { parseInput } from '../errors/parse-input.js';
import { mutateAccount } from './account-mutation.js';
import type { Actor } from './acting-principal.js';
import type { CallMeta, LifecycleContext } from './lifecycle-context.js';

/**
 * Disables or enables an account: all its keys stop or start working at once. Setting the
 * status it already has changes nothing and writes no audit event.
 *
 * @internal
 */
export async function setAccountStatus(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
  status: ServiceAccountStatus,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(serviceAccountRefInputSchema, rawInput, 'service account');
  const action = status === 'disabled' ? 'service_account.disable' : 'service_account.enable';
  return mutateAccount(
    ctx,
    actor,
    { ...input, action, apply: (account) => (account.status === status ? account : { ...account, status }) },
    meta,
  );
}
