import type { DatasetsInWorkspace, ResolvedLimits } from '../config.js';
import type { TokenHasher } from '../keys/index.js';
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

/** Everything the management operations share. @internal */
export interface ManagementContext {
  readonly storage: StorageAdapter;
  readonly policy: Policy;
  readonly limits: ResolvedLimits;
  readonly clock: () => number;
  readonly tokenPrefix: string;
  readonly secretLength: number | undefined;
  readonly tokenHasher: TokenHasher;
  readonly datasetsInWorkspace: DatasetsInWorkspace | undefined;
  readonly changes: ChangeListener;
  /** The principals `verify` handed out, so that a verified key can act as a management actor. */
  readonly verifiedPrincipals: VerifiedPrincipals;
}
