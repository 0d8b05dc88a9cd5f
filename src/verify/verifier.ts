import type { ResolveActor } from '../config.js';
import type { ApiKey } from '../entities/api-key.js';
import type { TokenDigest, TokenHasher, TokenParser } from '../keys/index.js';
import type { Policy } from '../policy/index.js';
import type { KeyWithAccount, StorageAdapter } from '../storage/storage-adapter.js';
import { CreatorRightsResolver } from './creator-rights.js';
import type { LastUsedRecorder } from './last-used-recorder.js';
import { PrincipalCache } from './principal-cache.js';
import type {
  CredentialFailureCode,
  VerifyFailureCode,
  VerifyRequest,
  VerifyResult,
} from './verify-result.js';

/** What the verifier is built from. @internal */
export interface VerifierParts {
  readonly storage: StorageAdapter;
  readonly policy: Policy;
  readonly parse: TokenParser;
  readonly tokenHasher: TokenHasher;
  readonly lastUsed: LastUsedRecorder;
  readonly clock: () => number;
  readonly resolveActor: ResolveActor | undefined;
}

const failures = {} as Record<CredentialFailureCode, VerifyResult>;
for (const code of ['malformed_token', 'key_not_found', 'invalid_secret', 'storage_unavailable'] as const) {
  failures[code] = Object.freeze({ ok: false, code });
}
const EVALUATION_ERROR: VerifyResult = Object.freeze({ ok: false, code: 'evaluation_error' });
/** Settled once: rejecting a malformed token allocates nothing, not even a promise. */
const MALFORMED: Promise<VerifyResult> = Promise.resolve(failures.malformed_token);

/** A digest no token matches: an unknown key id still costs one hash and one compare. */
const NO_KEY: TokenDigest = Object.freeze({ hash: '0'.repeat(64), hashVersion: 1, pepperId: null });

/**
 * The request path: parse -> one storage read by key id -> constant-time digest compare (the
 * current secret, or the previous one inside its grace window) -> guards and policy ->
 * bookkeeping. Never throws.
 *
 * @internal
 */
export class Verifier {
  readonly #parts: VerifierParts;
  readonly #principals: PrincipalCache;
  readonly #creators: CreatorRightsResolver;

  constructor(parts: VerifierParts) {
    this.#parts = parts;
    this.#principals = new PrincipalCache(parts.policy);
    this.#creators = new CreatorRightsResolver(parts.storage, parts.resolveActor, this.#principals);
  }

  /** Verifies `token` for `request`. */
  verify(token: unknown, request: VerifyRequest): Promise<VerifyResult> {
    const parsed = this.#parts.parse(token);
    if (!parsed.ok) return MALFORMED;
    return this.#verifyParsed(parsed.token, parsed.keyId, request);
  }

  async #verifyParsed(token: string, keyId: string, request: VerifyRequest): Promise<VerifyResult> {
    const { storage, policy, tokenHasher, clock } = this.#parts;
    let found: KeyWithAccount | null;
    try {
      found = await storage.findKeyForVerification({ keyId });
    } catch {
      return failures.storage_unavailable;
    }
    try {
      if (found === null) {
        tokenHasher.matches(token, NO_KEY);
        return failures.key_not_found;
      }
      const now = request.now ?? clock();
      if (!secretMatches(tokenHasher, token, found.key, now)) return failures.invalid_secret;
      let principal = this.#principals.principalFor(found);
      const creator = found.key.createdBy;
      if (this.#creators.needsLookup(creator)) {
        principal = policy.withCreator(
          principal,
          await this.#creators.rightsOf(creator, found.account.tenantId),
        );
      }
      const decision = policy.authorize(
        principal,
        request.action,
        request.resource,
        request.explain === true ? { now, explain: true } : { now },
      );
      this.#parts.lastUsed.record(found.key.id, now);
      if (!decision.allowed) return { ok: false, code: decision.reason as VerifyFailureCode, decision };
      return { ok: true, principal, decision };
    } catch {
      // Fail closed: a throwing host hook or a garbage request is a failure, never an exception.
      return EVALUATION_ERROR;
    }
  }
}

/** The current digest, or the previous one while its grace period runs. */
function secretMatches(hasher: TokenHasher, token: string, key: ApiKey, now: number): boolean {
  if (hasher.matches(token, key)) return true;
  if (key.previousHash === null || key.previousHashVersion === null || key.previousHashExpiresAt === null)
    return false;
  if (key.previousHashExpiresAt.getTime() <= now) return false;
  return hasher.matches(token, {
    hash: key.previousHash,
    hashVersion: key.previousHashVersion,
    pepperId: key.previousPepperId,
  });
}
