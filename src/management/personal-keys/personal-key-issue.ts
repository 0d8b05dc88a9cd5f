import type { UserActor } from '../../entities/actor.js';
import {
  type IssuePersonalKeyInput,
  issuePersonalKeyInputSchema,
} from '../../entities/personal-key-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { GrantShape } from '../../policy/index.js';
import type { ActingPrincipal, Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { type IssuedKey, insertNewKey } from '../keys/key-minting.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { assertGives, assertValidScopes } from '../write-rules.js';
import { lockPersonalAccount, personOf } from './personal-account.js';

/**
 * Issues a person's own key: bound to one workspace the person reaches, with scopes the person
 * holds (else `EXCEEDS_CREATOR_RIGHTS`, naming the difference), at most `maxPersonalKeys`
 * active keys per person and workspace. Audited as `api_key.issue`, like every key.
 *
 * @internal
 */
export function issuePersonalKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: IssuePersonalKeyInput,
  meta?: CallMeta,
): Promise<IssuedKey> {
  personOf(ctx, actor);
  return managedCall(ctx, actor, rawInput, meta, {
    input: issuePersonalKeyInputSchema,
    inputName: 'personal key',
    checkInput: (input) => assertValidScopes(ctx, input.scopes, ['scopes']),
    load: nothingToLoad,
    requires: () => [],
    prepare: ({ input, acting }) => {
      assertReaches(acting, input.workspaceId);
      assertGives(ctx, acting, null, personalShape(input.scopes));
    },
    write: async (write, { input, acting }) => {
      const now = ctx.clock();
      const account = await lockPersonalAccount(write.tx, personActing(acting), input.workspaceId, now);
      const { workspaceId: _workspace, scopes, ...key } = input;
      return insertNewKey(ctx, write, {
        account,
        input: { ...key, scopes },
        now,
        limit: ctx.limits.maxPersonalKeys,
      });
    },
  });
}

/** What a personal key with `scopes` gives: the scopes alone, on every dataset of its workspace. @internal */
export function personalShape(scopes: readonly string[]): GrantShape {
  return { roles: [], readOnly: false, datasetAccess: { mode: 'all' }, scopes, personal: true };
}

/** The person behind a user actor, as validated by the call. */
function personActing(acting: ActingPrincipal): UserActor {
  return (acting.principal as { readonly actor: UserActor }).actor;
}

/** Refuses a workspace the person is confined away from (`INVALID_INPUT` at `workspaceId`). */
function assertReaches(acting: ActingPrincipal, workspaceId: string): void {
  const workspaces = personActing(acting).workspaceIds;
  if (workspaces === undefined || workspaces.includes(workspaceId)) return;
  throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid personal key', {
    issues: [
      { code: 'custom', path: ['workspaceId'], message: `Not a workspace of this person: ${workspaceId}` },
    ],
  });
}
