/**
 * Cheap structural checks of principal inputs. They run once per compile and never throw: a
 * problem makes every decision of the principal `evaluation_error` (fail closed).
 *
 * @internal
 */

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;
const isStringArray = (value: unknown): value is readonly string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isTime = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value);

/** Why `actor` is not a usable user actor, or null. @internal */
export function userProblem(actor: unknown): string | null {
  if (typeof actor !== 'object' || actor === null) return 'user actor must be an object';
  const a = actor as Record<string, unknown>;
  if (a.type !== 'user') return "user actor must have type 'user'";
  if (!isId(a.id)) return 'user actor id must be a non-empty string';
  if (!isId(a.tenantId)) return 'user actor tenantId must be a non-empty string';
  if (!isStringArray(a.permissions)) return 'user actor permissions must be an array of grant patterns';
  if (a.workspaceIds !== undefined && !isStringArray(a.workspaceIds))
    return 'user actor workspaceIds must be strings';
  return null;
}

/** Why `facts` cannot be compiled into a key principal, or null. @internal */
export function factsProblem(facts: unknown): string | null {
  if (typeof facts !== 'object' || facts === null) return 'key facts must be an object';
  const f = facts as Record<string, unknown>;
  for (const field of ['tenantId', 'workspaceId', 'serviceAccountId', 'keyId'] as const) {
    if (!isId(f[field])) return `key facts ${field} must be a non-empty string`;
  }
  if (f.environment !== 'live' && f.environment !== 'test')
    return "key facts environment must be 'live' or 'test'";
  if (!isStringArray(f.roles)) return 'key facts roles must be an array of role names';
  if (f.scopes !== null && !isStringArray(f.scopes)) return 'key facts scopes must be null or grant patterns';
  if (typeof f.readOnly !== 'boolean') return 'key facts readOnly must be a boolean';
  const problem = datasetAccessProblem(f.datasetAccess);
  if (problem !== null) return problem;
  if (f.accountStatus !== 'active' && f.accountStatus !== 'disabled' && f.accountStatus !== 'deleted') {
    return 'key facts accountStatus must be active, disabled or deleted';
  }
  if (f.keyStatus !== 'active' && f.keyStatus !== 'revoked' && f.keyStatus !== 'disabled')
    return 'key facts keyStatus must be active, revoked or disabled';
  if (f.expiresAt !== null && !isTime(f.expiresAt)) return 'key facts expiresAt must be epoch ms or null';
  if (f.notBefore !== undefined && f.notBefore !== null && !isTime(f.notBefore)) {
    return 'key facts notBefore must be epoch ms, null or absent';
  }
  if (f.creator !== null && (typeof f.creator !== 'object' || f.creator === undefined)) {
    return 'key facts creator must be creator rights or null';
  }
  if (f.personal !== undefined && typeof f.personal !== 'boolean')
    return 'key facts personal must be a boolean';
  if (f.personal === true && f.scopes === null) return 'a personal key needs its scopes';
  return creatorProblem(f.creator);
}

function datasetAccessProblem(access: unknown): string | null {
  if (typeof access !== 'object' || access === null) return 'key facts datasetAccess must be an object';
  const d = access as Record<string, unknown>;
  if (d.mode === 'all') return null;
  if (d.mode === 'selected' && isStringArray(d.datasetIds)) return null;
  return "key facts datasetAccess must be { mode: 'all' } or { mode: 'selected', datasetIds }";
}

function creatorProblem(creator: unknown): string | null {
  if (creator === null) return null;
  const c = creator as Record<string, unknown>;
  if (c.type === 'key') {
    return typeof c.principal === 'object' && c.principal !== null
      ? null
      : 'a key creator needs its compiled principal';
  }
  if (c.type !== 'user') return "creator type must be 'user' or 'key'";
  if (typeof c.active !== 'boolean') return 'a user creator needs an active flag';
  if (c.principal === undefined)
    return userProblem(c.actor) === null ? null : `creator: ${userProblem(c.actor)}`;
  return typeof c.principal === 'object' && c.principal !== null
    ? null
    : 'a user creator needs an actor or a principal';
}
