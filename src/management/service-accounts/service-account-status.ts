import type { ServiceAccount, ServiceAccountStatus } from '../../entities/service-account.js';
import {
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../../entities/service-account-inputs.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { changeAccount } from './account-change.js';

/**
 * Disables or enables an account: all its keys stop or start working at once. Setting the
 * status it already has changes nothing and writes no audit event.
 *
 * @internal
 */
export function setAccountStatus(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
  status: ServiceAccountStatus,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return changeAccount(ctx, actor, rawInput, meta, {
    input: serviceAccountRefInputSchema,
    inputName: 'service account',
    action: status === 'disabled' ? 'service_account.disable' : 'service_account.enable',
    apply: (account) => (account.status === status ? account : { ...account, status }),
  });
}
