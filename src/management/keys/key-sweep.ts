import type { z } from 'zod';
import type { ApiKey } from '../../entities/api-key.js';
import {
  type SweepKeysInput,
  type SweepOutcome,
  sweepKeysInputSchema,
} from '../../entities/key-sweep-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { PageAfter } from '../../storage/storage-adapter.js';
import type { ActingPrincipal, Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { writeLocked } from '../locked-write.js';
import { type AuthorizedCall, managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { toKeyInfo } from './key-view.js';
import { noSweep, type SweepRule, sweepRules } from './sweep-rules.js';

/** A sweep past its preamble: the parsed input (defaults applied) and the actor. */
type SweepCall = AuthorizedCall<z.output<typeof sweepKeysInputSchema>, undefined>;

/**
 * One run of the stale-key policy over the actor's tenant (or one workspace): for each rule of
 * {@link sweepRules}, reads candidate keys page by page (`batchSize`), passes over keys of
 * workspaces where the actor lacks `api_keys:manage` (with `workspaceId`, lacking it there is
 * `FORBIDDEN`), and changes each key that needs it in its own short transaction, deciding on the
 * key as locked there, with its audit event (as the actor, `reason` saying why) and, after the
 * commit, its host event. Idempotent, and safe from several instances at once: the lock and the
 * re-check on the locked key let exactly one run change a key.
 *
 * A failure half-way (storage) rejects with the failure's own code and message, and
 * `details.sweep`: what the run did before it (committed, audited, events sent). Running again
 * is safe and picks up where it stopped.
 *
 * @internal
 */
export function sweepKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: SweepKeysInput,
  meta?: CallMeta,
): Promise<SweepOutcome> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: sweepKeysInputSchema,
    inputName: 'key sweep',
    load: nothingToLoad,
    requires: ({ workspaceId }) =>
      workspaceId === undefined
        ? []
        : [
            {
              permission: 'api_keys:manage',
              workspaceId,
              denied: { action: 'api_key.sweep', target: { type: 'api_key', id: null } },
            },
          ],
    read: async (call) => {
      const done = noSweep();
      try {
        await runSweep(ctx, call, done);
      } catch (error) {
        throw interrupted(error, done);
      }
      return done;
    },
  });
}

/** Runs every rule in order, counting into `done`; stops early (`more`) at `maxKeys` changes. */
async function runSweep(ctx: ManagementContext, call: SweepCall, done: SweepOutcome): Promise<void> {
  const { input, acting } = call;
  const manageable = manageableWorkspaces(ctx, acting);
  const rules = sweepRules(input, ctx.limits.expiringSoonLeadMs);
  let budget = input.maxKeys ?? Number.POSITIVE_INFINITY;
  for (const rule of rules) {
    const filterCount = rule.filters(ctx.clock()).length;
    for (let filter = 0; filter < filterCount; filter++) {
      let after: PageAfter | undefined;
      for (;;) {
        const now = ctx.clock();
        const page = await ctx.storage.queryKeys({
          ...rule.filters(now)[filter],
          tenantId: acting.tenantId,
          workspaceId: input.workspaceId,
          now: new Date(now),
          after,
          limit: input.batchSize,
        });
        for (const key of page) {
          if (!manageable(key.workspaceId)) continue;
          done.scanned++;
          // The query's read only spares a transaction for keys that need nothing.
          if (rule.apply(key, ctx.clock()) === key) continue;
          if (budget <= 0) {
            done.more = true;
            return;
          }
          if (await sweepKey(ctx, call, rule, key)) {
            done[rule.counts]++;
            budget--;
          }
        }
        const last = page[page.length - 1];
        if (page.length < input.batchSize || last === undefined) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
    }
  }
}

/**
 * Applies `rule` to one key in its own transaction, on the key as locked there: true when it
 * changed it (and audited it), false when the key is gone or needs nothing any more.
 */
function sweepKey(
  ctx: ManagementContext,
  call: SweepCall,
  rule: SweepRule,
  candidate: ApiKey,
): Promise<boolean> {
  return writeLocked(ctx, call, async (write) => {
    const found = await write.tx.lockKey({ tenantId: call.acting.tenantId, keyId: candidate.id });
    if (found === null) return false;
    // A person's own key is never disabled by the sweep: nothing could enable it again
    // (`kw.keys` does not touch it, and its owner has no enable). Expiry and notices still apply.
    if (rule.counts === 'disabled' && found.account.ownerUserId !== undefined) return false;
    const { key } = found;
    const now = ctx.clock();
    const next = rule.apply(key, now);
    if (next === key) return false;
    const written = await write.tx.updateKey({ key: next });
    if (written === null) return false;
    await write.audit({
      action: rule.action,
      reason: rule.reason,
      tenantId: key.tenantId,
      workspaceId: key.workspaceId,
      target: { type: 'api_key', id: key.id },
      before: toKeyInfo(key, now),
      after: toKeyInfo(written, now),
      at: new Date(now),
    });
    if (rule.changesStatus) write.changed({ keyId: key.id });
    return true;
  });
}

/** Whether the actor holds `api_keys:manage` in a workspace, asked once per workspace per run. */
function manageableWorkspaces(
  ctx: ManagementContext,
  acting: ActingPrincipal,
): (workspaceId: string) => boolean {
  const now = ctx.clock();
  const known = new Map<string, boolean>();
  return (workspaceId) => {
    let allowed = known.get(workspaceId);
    if (allowed === undefined) {
      allowed = ctx.policy.authorize(
        acting.principal,
        'api_keys:manage',
        { tenantId: acting.tenantId, workspaceId },
        { now },
      ).allowed;
      known.set(workspaceId, allowed);
    }
    return allowed;
  };
}

/** The failure of a run, with what it did before (`details.sweep`). */
function interrupted(error: unknown, done: SweepOutcome): KeywardError {
  const sweep = { ...done };
  if (!(error instanceof KeywardError)) {
    return new KeywardError(ERROR_CODES.INTERNAL, 'The key sweep failed', {
      details: { sweep },
      cause: error,
    });
  }
  const options = { issues: error.issues, details: { ...error.details, sweep }, cause: error };
  return new KeywardError(error.code, error.message, options as never);
}
