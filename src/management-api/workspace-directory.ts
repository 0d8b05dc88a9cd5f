import { z } from 'zod';
import { workspaceIdSchema } from '../entities/ids.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import type { Awaitable } from '../http/api-key-guard.js';
import type { Actor } from '../management/actor.js';
import type { RouteCall } from './management-route.js';

/** A workspace or a dataset as a picker shows it: the host's id and a name for people. */
export interface DirectoryEntry {
  /** The host's id (what keyward stores: `workspaceId`, `datasetIds`). */
  readonly id: string;
  /** The name people know it by (`Sales`, `Orders`). */
  readonly name: string;
}

/**
 * The host's workspaces and datasets by name, read from its own database (keyward stores
 * neither). The management API serves them as `GET /workspaces` and
 * `GET /workspaces/:workspaceId/datasets`, for pickers such as the admin page's; it keeps to the
 * workspaces the actor is bound to (a person's `workspaceIds`, a key's workspace) whatever the
 * hooks return.
 *
 * @example
 * ```ts
 * const directory: WorkspaceDirectory = {
 *   workspaces: (actor) => db.workspaces.list({ tenantId: actor.tenantId }),
 *   datasets: (workspaceId, actor) => db.datasets.list({ tenantId: actor.tenantId, workspaceId }),
 * };
 * ```
 */
export interface WorkspaceDirectory {
  /** The workspaces of the actor's tenant. */
  workspaces(actor: Actor): Awaitable<readonly DirectoryEntry[]>;
  /** The datasets of a workspace of the actor's tenant, or `null` when there is no such workspace (404). */
  datasets(workspaceId: string, actor: Actor): Awaitable<readonly DirectoryEntry[] | null>;
}

/** Throws `TypeError` unless `value` is a usable directory (or absent). @internal */
export function assertDirectory(value: unknown): void {
  if (value === undefined) return;
  const directory = value as Partial<WorkspaceDirectory> | null;
  if (
    typeof directory !== 'object' ||
    directory === null ||
    typeof directory.workspaces !== 'function' ||
    typeof directory.datasets !== 'function'
  ) {
    throw new TypeError('keyward: directory must be { workspaces(actor), datasets(workspaceId, actor) }');
  }
}

/** Input of `GET /workspaces`: nothing. @internal */
export const listWorkspacesInputSchema = z.strictObject({});
/** Input of `GET /workspaces/:workspaceId/datasets`. @internal */
export const listDatasetsInputSchema = z.strictObject({ workspaceId: workspaceIdSchema });

/** What both directory routes answer: `{ items: [{ id, name }] }`. @internal */
export const directoryListSchema = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});

/** A directory answer. @internal */
export type DirectoryList = z.output<typeof directoryListSchema>;

/** The workspaces an actor is confined to, or `null` when it reaches every one of its tenant. @internal */
export function workspaceBinding(actor: Actor): readonly string[] | null {
  if (actor.type === 'key') return [actor.workspaceId];
  return actor.workspaceIds ?? null;
}

/** The entries as plain `{ id, name }` (nothing else the host's objects carry). */
function listOf(entries: readonly DirectoryEntry[]): DirectoryList {
  return { items: entries.map((entry) => ({ id: String(entry.id), name: String(entry.name) })) };
}

/** The directory of a call; routes that use it exist only when it was given. */
function directoryOf(call: RouteCall): WorkspaceDirectory {
  if (call.directory === undefined) throw new KeywardError(ERROR_CODES.NOT_FOUND, 'No workspace directory');
  return call.directory;
}

/**
 * `GET /workspaces`: what the host's directory lists, kept to the actor's binding.
 *
 * @internal
 */
export async function listDirectoryWorkspaces(call: RouteCall): Promise<DirectoryList> {
  parseInput(listWorkspacesInputSchema, call.input, 'workspace list input');
  const binding = workspaceBinding(call.actor);
  const entries = await directoryOf(call).workspaces(call.actor);
  return listOf(binding === null ? entries : entries.filter((entry) => binding.includes(entry.id)));
}

/**
 * `GET /workspaces/:workspaceId/datasets`: the datasets of a workspace of the actor's binding
 * (else `NOT_FOUND`, as when the directory knows no such workspace), for an actor holding
 * `service_accounts:read` there (else `FORBIDDEN`).
 *
 * @internal
 */
export async function listDirectoryDatasets(call: RouteCall): Promise<DirectoryList> {
  const { workspaceId } = parseInput(listDatasetsInputSchema, call.input, 'dataset list input');
  const binding = workspaceBinding(call.actor);
  if (binding !== null && !binding.includes(workspaceId)) {
    throw new KeywardError(ERROR_CODES.NOT_FOUND, 'No such workspace');
  }
  const permission = 'service_accounts:read';
  const decision = call.kw.authorize(call.actor, permission, { tenantId: call.actor.tenantId, workspaceId });
  if (!decision.allowed) {
    throw new KeywardError(ERROR_CODES.FORBIDDEN, `Not allowed: ${permission} (${decision.reason})`, {
      details: { reason: decision.reason, required: permission, decision },
    });
  }
  const entries = await directoryOf(call).datasets(workspaceId, call.actor);
  if (entries === null || entries === undefined)
    throw new KeywardError(ERROR_CODES.NOT_FOUND, 'No such workspace');
  return listOf(entries);
}
