import type { z } from 'zod';
import type { Page } from '../entities/pagination.js';
import type { PageAfter } from '../storage/storage-adapter.js';
import type { ActingPrincipal, Actor } from './actor.js';
import { readableWorkspaces } from './authorization.js';
import { managedCall, nothingToLoad } from './managed-call.js';
import type { ManagementContext } from './management-context.js';
import { decodeCursor } from './page-cursor.js';
import { readablePage } from './readable-page.js';

/** The input every tenant-wide list takes: an optional workspace, a page size and a cursor. @internal */
interface TenantListInput {
  readonly workspaceId?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/**
 * One page of a list over the actor's tenant (accounts, keys, audit events): with a workspace,
 * the actor needs `service_accounts:read` on it; without one, only rows of workspaces the actor
 * may read are returned (and, with `alsoVisible`, only those it passes). `fetch` reads storage
 * from a position, tenant-scoped.
 *
 * @internal
 */
export function listInTenant<
  Input extends TenantListInput,
  Row extends { readonly createdAt: Date; readonly id: string; readonly workspaceId: string | null },
>(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: unknown,
  list: {
    readonly input: z.ZodType<Input>;
    readonly inputName: string;
    readonly fetch: (
      input: Input,
      tenantId: string,
      position: PageAfter | undefined,
      limit: number,
    ) => Promise<Row[]>;
    /** What rows of readable workspaces must pass too (the audit trail's personal keys). */
    readonly alsoVisible?:
      | ((acting: ActingPrincipal) => (row: Row) => boolean | Promise<boolean>)
      | undefined;
  },
): Promise<Page<Row>> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: list.input,
    inputName: list.inputName,
    load: nothingToLoad,
    requires: ({ workspaceId }) =>
      workspaceId === undefined ? [] : [{ permission: 'service_accounts:read', workspaceId }],
    read: ({ input, acting }) => {
      const readable = readableWorkspaces(ctx, acting);
      const alsoVisible = list.alsoVisible?.(acting) ?? (() => true);
      return readablePage(
        (position, limit) => list.fetch(input, acting.tenantId, position, limit),
        (row) => readable(row.workspaceId) && alsoVisible(row),
        input.limit,
        decodeCursor(input.cursor),
      );
    },
  });
}
