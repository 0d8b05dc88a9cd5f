/**
 * The management API's answers as the page receives them (JSON: every instant is an ISO 8601
 * string). Field names follow `src/entities/*` and `src/management-api/result-schemas.ts`.
 *
 * @packageDocumentation
 */

/** Who created or changed something: a person or an API key. */
export type ActorRef =
  | { readonly type: 'user'; readonly id: string }
  | { readonly type: 'key'; readonly id: string; readonly serviceAccountId: string };

/** Which datasets of its workspace an account reaches. */
export type DatasetAccess =
  | { readonly mode: 'all' }
  | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };

/** A service account (`serviceAccountSchema`). */
export interface ServiceAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly description: string | null;
  readonly contactEmail: string | null;
  readonly roles: readonly string[];
  readonly readOnly: boolean;
  readonly datasetAccess: DatasetAccess;
  readonly status: 'active' | 'disabled';
  readonly createdBy: ActorRef;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** Status of a key as shown to users. */
export type KeyStatus = 'active' | 'revoked' | 'disabled' | 'expired';

/** A key as management calls show it (`apiKeyInfoSchema`): never its secret. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly serviceAccountId: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly environment: 'live' | 'test';
  readonly scopes: readonly string[] | null;
  /** The first characters of the token (prefix, key id and 4 secret characters). */
  readonly start: string;
  readonly status: KeyStatus;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly previousSecretActive: boolean;
}

/** Ready-to-run code holding a just-issued token (`keySampleCodeSchema`). */
export interface KeySampleCode {
  readonly baseUrl: string;
  readonly curl: string;
  readonly typescript: string;
  readonly python: string;
}

/** A key with its token, shown once (`answeredKeySchema`). */
export interface IssuedKey {
  readonly key: ApiKeyInfo;
  readonly token: string;
  readonly sampleCode?: KeySampleCode | undefined;
}

/** What `POST /service-accounts` answers (`answeredCreatedAccountSchema`). */
export interface CreatedAccount {
  readonly account: ServiceAccount;
  readonly key?: IssuedKey | undefined;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** What `GET /catalog` answers (`serviceAccountCatalogSchema`). */
export interface Catalog {
  readonly roles: readonly { readonly name: string; readonly description?: string }[];
  readonly permissions: readonly {
    readonly name: string;
    readonly scope: 'tenant' | 'workspace' | 'dataset';
    readonly access: 'read' | 'write' | 'admin';
    readonly description?: string;
  }[];
}

/** What `GET /me` answers: the caller, a person or an API key. */
export interface Me {
  readonly type: 'user' | 'api_key';
  readonly id: string;
  readonly tenantId: string;
  readonly permissions: readonly string[];
  readonly workspaceIds: readonly string[] | null;
  readonly limits: { readonly maxKeysPerAccount: number };
}

/** A workspace or dataset of the host's directory (`GET /workspaces`, `.../datasets`). */
export interface DirectoryEntry {
  readonly id: string;
  readonly name: string;
}

/** The languages sample code is written in. */
export type SampleLanguage = 'python' | 'typescript' | 'curl';

/** What `GET /service-accounts/:id/sample-code` answers. */
export interface AccountSampleCode {
  readonly language: SampleLanguage;
  readonly baseUrl: string;
  readonly code: string;
}

/** One entry of the audit trail (`auditEventSchema`). */
export interface AuditEvent {
  readonly id: string;
  readonly workspaceId: string | null;
  readonly actor: ActorRef | { readonly type: 'system'; readonly id: string };
  readonly action: string;
  readonly target: { readonly type: 'service_account' | 'api_key'; readonly id: string | null };
  readonly outcome: 'success' | 'denied';
  readonly reason: string | null;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly createdAt: string;
}
