import type { ResolveActor } from '../config.js';
import type { ApiKey } from '../entities/api-key.js';
import type { TokenDigest, TokenHasher, TokenParser } from '../keys/index.js';
import type { KeyPrincipal, Policy } from '../policy/index.js';
import type { KeyWithAccount, StorageAdapter } from '../storage/storage-adapter.js';
import { CreatorRightsResolver } from './creator-rights.js';
import type { LastUsedRecorder } from './last-used-recorder.js';
import { PrincipalCache } from './principal-cache.js';
import type { VerificationCache } from './verification-cache.js';
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
  /** The optional read cache (`config.cache`). */
  readonly cache: VerificationCache | undefined;
}

const failures = {} as Record<CredentialFailureCode, VerifyResult>;
for (const code of ['malformed_token', 'key_not_found', 'invalid_secret', 'storage_unavailable'] as const) {
  failures[code] = Object.freeze({ ok: false, code });
}
const EVALUATION_ERROR: VerifyResult = Object.freeze({ ok: false, code: 'evaluation_error' });
/** Settled once: rejecting a malformed token allocates nothing, not even a promise. */
const MALFORMED: Promise<VerifyResult> = Promise.resolve(failures.malformed_token);

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
  /** A digest no token matches, made the current way: an unknown key id costs what a wrong secret does. */
  readonly #noKey: TokenDigest;
  readonly #options: { now: number; explain?: boolean } = { now: 0 };

  constructor(parts: VerifierParts) {
    this.#parts = parts;
    this.#noKey = Object.freeze({
      hash: '0'.repeat(64),
      hashVersion: parts.tokenHasher.hashVersion,
      pepperId: parts.tokenHasher.pepperId,
    });
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
    try {
      const now = request.now ?? this.#parts.clock();
      const found = await this.#read(keyId, now);
      if (found === undefined) return failures.storage_unavailable;
      return await this.#decide(token, found, request, now);
    } catch {
      // Fail closed: a throwing host hook or a garbage request is a failure, never an exception.
      return EVALUATION_ERROR;
    }
  }

  /** The key and its account (from the cache when fresh), `null` when unknown, `undefined` when storage failed. */
  async #read(keyId: string, now: number): Promise<KeyWithAccount | null | undefined> {
    const { storage, cache } = this.#parts;
    const cached = cache?.get(keyId, now);
    if (cached !== undefined) return cached;
    let found: KeyWithAccount | null;
    try {
      found = await storage.findKeyForVerification({ keyId });
    } catch {
      return undefined;
    }
    if (found !== null) cache?.set(found, now);
    return found;
  }

  /** Synchronous unless the key's creator must be looked up (a key-created key, or `resolveActor`). */
  #decide(
    token: string,
    found: KeyWithAccount | null,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    const { policy, tokenHasher } = this.#parts;
    if (found === null) {
      tokenHasher.matches(token, this.#noKey);
      return failures.key_not_found;
    }
    if (!secretMatches(tokenHasher, token, found.key, now)) return failures.invalid_secret;
    const principal = this.#principals.principalFor(found);
    const creator = found.key.createdBy;
    if (!this.#creators.needsLookup(creator)) return this.#authorize(principal, found, request, now);
    return this.#creators
      .rightsOf(creator, found.account.tenantId)
      .then((rights) => this.#authorize(policy.withCreator(principal, rights), found, request, now));
  }

  #authorize(
    principal: KeyPrincipal,
    found: KeyWithAccount,
    request: VerifyRequest,
    now: number,
  ): VerifyResult {
    // `authorize` is synchronous and keeps nothing of its options: one object serves every call.
    let options = this.#options;
    if (request.explain === true) options = { now, explain: true };
    else options.now = now;
    const decision = this.#parts.policy.authorize(principal, request.action, request.resource, options);
    this.#parts.lastUsed.record(found.key.id, now);
    if (!decision.allowed) return { ok: false, code: decision.reason as VerifyFailureCode, decision };
    return { ok: true, principal, decision };
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
