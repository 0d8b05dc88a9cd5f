import type { KeyPrincipalFacts } from '../principal.js';
import type { CompiledKeyPrincipal } from './compiled-principal.js';
import type { KeyState } from './principal-state.js';

/**
 * Builds the one frozen object that is both the public {@link KeyPrincipal} and its compiled
 * {@link KeyState} (`principal.state === principal`). One object, with the fields a decision
 * reads first, keeps a decision on a cold key to a few cache lines: the evaluator stays as fast
 * with 40,000 keys as with 400. Every principal gets the same field order, hence one hidden class.
 *
 * @internal
 */
export function keyPrincipalObject(facts: Readonly<KeyPrincipalFacts>, s: KeyState): CompiledKeyPrincipal {
  const principal = {
    model: s.model,
    problem: s.problem,
    statusGuard: s.statusGuard,
    validFrom: s.validFrom,
    validUntil: s.validUntil,
    creatorInactive: s.creatorInactive,
    expiresAt: s.expiresAt,
    notBefore: s.notBefore,
    creatorExpiresAt: s.creatorExpiresAt,
    creatorNotBefore: s.creatorNotBefore,
    tenantId: s.tenantId,
    workspaceId: s.workspaceId,
    selected: s.selected,
    readOnly: s.readOnly,
    envBit: s.envBit,
    verdict: s.verdict,
    creatorDatasets: s.creatorDatasets,
    grant: s.grant,
    keyId: s.keyId,
    rights: s.rights,
    notes: s.notes,
    creator: s.creator,
    type: 'key' as const,
    serviceAccountId: typeof facts.serviceAccountId === 'string' ? facts.serviceAccountId : '',
    environment: facts.environment === 'test' ? ('test' as const) : ('live' as const),
    facts,
    state: undefined as unknown as KeyState,
  };
  principal.state = principal;
  return Object.freeze(principal);
}
