import type { CreatorRights, KeyPrincipal, KeyPrincipalFacts } from '../principal.js';
import { compileUserState } from './compile-user.js';
import type { CompiledKeyPrincipal, CompiledUserPrincipal } from './compiled-principal.js';
import { ENV_LIVE, ENV_TEST } from './compiled-rule.js';
import { foldCreator, internRights, internVerdict } from './creator-fold.js';
import { Slot } from './decision-table.js';
import { keyPrincipalObject } from './key-principal-object.js';
import { ACCESS_READ, expandPatterns, type PolicyModel, SCOPE_DATASET } from './policy-model.js';
import { factsProblem } from './principal-shape.js';
import { type CreatorState, type KeyState, NO_ROLE, personalGrant, SCOPED_OUT } from './principal-state.js';

const NO_NOTES: readonly string[] = Object.freeze([]);

/** Compiles a key from its stored facts. Never throws: malformed facts yield a principal that always errors. @internal */
export function compileKey(model: PolicyModel, facts: KeyPrincipalFacts): CompiledKeyPrincipal {
  try {
    return compileKeyFacts(model, facts);
  } catch (error) {
    return failedKey(model, facts, error);
  }
}

function compileKeyFacts(model: PolicyModel, facts: KeyPrincipalFacts): CompiledKeyPrincipal {
  const frozen = Object.freeze({ ...facts });
  // The creator is checked by `compileCreator`, which knows every variant (`all` included).
  const problem = factsProblem(
    typeof facts === 'object' && facts !== null ? { ...facts, creator: null } : facts,
  );
  const creator = problem === null ? compileCreator(model, facts.creator) : null;
  const state =
    problem !== null
      ? brokenKey(model, problem, facts)
      : typeof creator === 'string'
        ? brokenKey(model, creator, facts)
        : compileKeyState(model, frozen, creator);
  return keyPrincipalObject(frozen, state);
}

/** The same key with another creator boundary; the compiled grants are reused. @internal */
export function withCreator(
  model: PolicyModel,
  key: KeyPrincipal,
  creator: CreatorRights | null,
): CompiledKeyPrincipal {
  try {
    return replaceCreator(model, key as CompiledKeyPrincipal, creator);
  } catch (error) {
    return failedKey(model, key?.facts, error);
  }
}

function replaceCreator(
  model: PolicyModel,
  key: CompiledKeyPrincipal,
  creator: CreatorRights | null,
): CompiledKeyPrincipal {
  if (key?.state?.model !== model || !('verdict' in key.state)) {
    return failedKey(model, key?.facts, new Error('withCreator needs a key compiled by this policy'));
  }
  const facts = Object.freeze({ ...key.facts, creator });
  if (key.state.problem !== null) return compileKey(model, facts);
  const compiled = compileCreator(model, creator);
  if (typeof compiled === 'string') return keyPrincipalObject(facts, brokenKey(model, compiled, facts));
  const base = key.state;
  const fold = ownerBound(facts, foldCreator(model, base.grant, compiled, base.tenantId, base.workspaceId));
  const rights = rightsOf(model, fold.verdict, base.readOnly, base.selected);
  return keyPrincipalObject(facts, { ...base, ...fold, ...windowOf(base, fold), creator: compiled, rights });
}

/** A principal that always answers `evaluation_error`, for inputs that made compilation throw. */
function failedKey(model: PolicyModel, facts: unknown, error: unknown): CompiledKeyPrincipal {
  const message = error instanceof Error ? error.message : String(error);
  const problem = `the key could not be compiled: ${message}`;
  let copy: object = {};
  try {
    copy = { ...(facts as object) };
  } catch {
    // facts that cannot even be read stay out of the principal
  }
  return keyPrincipalObject(Object.freeze(copy) as KeyPrincipalFacts, brokenKey(model, problem, copy));
}

/** Most nested `all` bounds a creator may hold; deeper input is refused (fail closed). */
const MAX_CREATOR_NESTING = 16;

function compileCreator(
  model: PolicyModel,
  creator: CreatorRights | null,
  nesting = 0,
): CreatorState | null | string {
  if (creator === null) return null;
  if (typeof creator !== 'object') return 'key facts creator must be creator rights or null';
  if (creator.type === 'all') return compileAll(model, creator.bounds, nesting);
  if (creator.type === 'key') {
    const key = (creator.principal as CompiledKeyPrincipal | undefined)?.state;
    if (key === undefined || key.model !== model || !('verdict' in key)) {
      return 'creator key was not compiled by this policy';
    }
    return Object.freeze({ kind: 'key', key });
  }
  if (creator.type !== 'user') return "creator type must be 'user', 'key' or 'all'";
  if (typeof creator.active !== 'boolean') return 'creator.active must be a boolean';
  const user =
    creator.principal !== undefined
      ? (creator.principal as CompiledUserPrincipal).state
      : compileUserState(model, creator.actor);
  if (user === undefined || user.model !== model || !('permissions' in user)) {
    return 'creator user was not compiled by this policy';
  }
  if (user.problem !== null) return `creator: ${user.problem}`;
  return Object.freeze({ kind: 'user', active: creator.active, user });
}

function compileAll(model: PolicyModel, bounds: unknown, nesting: number): CreatorState | string {
  if (!Array.isArray(bounds) || bounds.length === 0) return "an 'all' creator needs a non-empty bounds array";
  if (nesting >= MAX_CREATOR_NESTING) return "'all' creators are nested too deeply";
  const compiled: CreatorState[] = [];
  for (const bound of bounds as readonly CreatorRights[]) {
    const state = compileCreator(model, bound, nesting + 1);
    if (state === null) return "an 'all' creator bound must not be null";
    if (typeof state === 'string') return state;
    compiled.push(state);
  }
  return Object.freeze({ kind: 'all', bounds: Object.freeze(compiled) });
}

function compileKeyState(
  model: PolicyModel,
  facts: KeyPrincipalFacts,
  creator: CreatorState | null,
): KeyState {
  const notes: string[] = [];
  const grant = grantsOf(model, facts, notes);
  const readOnly = facts.readOnly;
  const selected = facts.datasetAccess.mode === 'selected' ? new Set(facts.datasetAccess.datasetIds) : null;
  const fold = ownerBound(facts, foldCreator(model, grant, creator, facts.tenantId, facts.workspaceId));
  return {
    model,
    problem: null,
    keyId: facts.keyId,
    tenantId: facts.tenantId,
    workspaceId: facts.workspaceId,
    statusGuard: statusGuardOf(facts),
    ...windowOf({ expiresAt: facts.expiresAt ?? Infinity, notBefore: facts.notBefore ?? -Infinity }, fold),
    expiresAt: facts.expiresAt ?? Number.POSITIVE_INFINITY,
    notBefore: facts.notBefore ?? Number.NEGATIVE_INFINITY,
    creatorInactive: fold.creatorInactive,
    creatorExpiresAt: fold.creatorExpiresAt,
    creatorNotBefore: fold.creatorNotBefore,
    selected,
    readOnly,
    envBit: facts.environment === 'live' ? ENV_LIVE : ENV_TEST,
    grant,
    verdict: fold.verdict,
    creatorDatasets: fold.creatorDatasets,
    rights: rightsOf(model, fold.verdict, readOnly, selected),
    notes: notes.length === 0 ? NO_NOTES : Object.freeze(notes),
    creator,
  };
}

/** A personal key is only usable within its owner's live rights: without them, never (fail closed). */
function ownerBound<T extends { readonly creatorInactive: boolean }>(facts: KeyPrincipalFacts, fold: T): T {
  return facts.personal === true && facts.creator === null ? { ...fold, creatorInactive: true } : fold;
}

/** The window in which the key and its creator keys are all valid. */
function windowOf(
  key: { readonly expiresAt: number; readonly notBefore: number },
  creator: { readonly creatorExpiresAt: number; readonly creatorNotBefore: number },
): { validFrom: number; validUntil: number } {
  return {
    validFrom: Math.max(key.notBefore, creator.creatorNotBefore),
    validUntil: Math.min(key.expiresAt, creator.creatorExpiresAt),
  };
}

function statusGuardOf(facts: KeyPrincipalFacts): number {
  if (facts.accountStatus === 'deleted') return Slot.AccountDeleted;
  if (facts.accountStatus === 'disabled') return Slot.AccountDisabled;
  if (facts.keyStatus === 'revoked') return Slot.KeyRevoked;
  return facts.keyStatus === 'disabled' ? Slot.KeyDisabled : -1;
}

/** Per action: the first granting role (catalog order), NO_ROLE, or SCOPED_OUT. */
function grantsOf(model: PolicyModel, facts: KeyPrincipalFacts, notes: string[]): Int16Array {
  const roles: number[] = [];
  for (const name of facts.roles) {
    const r = model.roleIndex.get(name);
    if (r === undefined) notes.push(`role '${name}' is not defined: it grants nothing`);
    else if (!model.roles[r]!.assignableToServiceAccounts)
      notes.push(`role '${name}' is not assignable to service accounts: it grants nothing`);
    else roles.push(r);
  }
  roles.sort((a, b) => a - b);
  const scopes = facts.scopes === null ? null : expandPatterns(model.names, facts.scopes);
  for (const p of scopes?.unknown ?? []) notes.push(`scope '${p}' matches no permission of the catalog`);
  const grant = new Int16Array(model.names.length).fill(NO_ROLE);
  if (facts.personal === true) {
    // A person's own key: no roles, its scopes are its grants (the owner's live rights bound them).
    for (let a = 0; a < grant.length; a++) if (scopes?.set[a] === 1) grant[a] = personalGrant(model);
    return internVerdict(model, grant);
  }
  for (let a = 0; a < grant.length; a++) {
    const r = roles.find((role) => model.roleSets[role]![a] === 1);
    if (r !== undefined) grant[a] = scopes === null || scopes.set[a] === 1 ? r : SCOPED_OUT;
  }
  return internVerdict(model, grant);
}

function rightsOf(
  model: PolicyModel,
  verdict: Int16Array,
  readOnly: boolean,
  selected: ReadonlySet<string> | null,
): Uint8Array {
  const rights = new Uint8Array(verdict.length);
  for (let a = 0; a < verdict.length; a++) {
    const usable =
      verdict[a]! >= 0 &&
      (!readOnly || model.access[a] === ACCESS_READ) &&
      (selected === null || model.scope[a] === SCOPE_DATASET);
    rights[a] = usable ? 1 : 0;
  }
  return internRights(model, rights);
}

function brokenKey(model: PolicyModel, problem: string, facts: unknown): KeyState {
  const keyId = (facts as { keyId?: unknown } | null)?.keyId;
  const n = model.names.length;
  return {
    model,
    problem,
    keyId: typeof keyId === 'string' ? keyId : '',
    tenantId: '',
    workspaceId: '',
    statusGuard: Slot.EvaluationError,
    validFrom: Number.POSITIVE_INFINITY,
    validUntil: Number.NEGATIVE_INFINITY,
    expiresAt: Number.NEGATIVE_INFINITY,
    notBefore: Number.POSITIVE_INFINITY,
    creatorInactive: true,
    creatorExpiresAt: Number.NEGATIVE_INFINITY,
    creatorNotBefore: Number.POSITIVE_INFINITY,
    selected: new Set<string>(),
    readOnly: true,
    envBit: 0,
    grant: new Int16Array(n).fill(NO_ROLE),
    verdict: new Int16Array(n).fill(NO_ROLE),
    creatorDatasets: null,
    rights: new Uint8Array(n),
    notes: NO_NOTES,
    creator: null,
  };
}
