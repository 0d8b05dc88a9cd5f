import type { DatasetsInWorkspace, ResolveActor, ResolvedLimits } from '../config.js';
import type { AuditedChange } from '../entities/audited-change.js';
import type { TokenHasher, TokenPrefixes } from '../keys/index.js';
import type { Policy } from '../policy/index.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { VerifiedPrincipals } from '../verify/verified-principals.js';

/**
 * Told about every committed change, so that caches on this instance drop what it touched and
 * refuse reads of it that were already in flight. Call it after the transaction committed.
 *
 * @internal
 */
export interface ChangeListener {
  keyChanged(keyId: string): void;
  accountChanged(serviceAccountId: string): void;
}

/**
 * Told, once a write's transaction committed, of the audit events it recorded, in the order they
 * were written (only the last, committed attempt's when the transaction was retried).
 *
 * @internal
 */
export interface AuditListener {
  /** Resolves once the host handled them; never rejects (failures go to `onBackgroundError`). */
  committed(changes: readonly AuditedChange[]): Promise<void>;
}

/** Everything the management operations share. @internal */
export interface ManagementContext {
  readonly storage: StorageAdapter;
  readonly policy: Policy;
  readonly limits: ResolvedLimits;
  readonly clock: () => number;
  /** The live prefix (`tokenPrefixes.live`); mint with `tokenPrefixes[key.environment]`. */
  readonly tokenPrefix: string;
  /** The token prefix of each environment (equal when the host configured one string). */
  readonly tokenPrefixes: TokenPrefixes;
  readonly secretLength: number | undefined;
  readonly tokenHasher: TokenHasher;
  readonly datasetsInWorkspace: DatasetsInWorkspace | undefined;
  /** The host's live rights of people (`config.resolveActor`), when given. */
  readonly resolveActor: ResolveActor | undefined;
  readonly changes: ChangeListener;
  /** Hands the audit events of every committed write to the host's `onEvent`. */
  readonly audited: AuditListener;
  /** The principals `verify` handed out, so that a verified key can act as a management actor. */
  readonly verifiedPrincipals: VerifiedPrincipals;
}
