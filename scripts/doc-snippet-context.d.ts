/**
 * What the code blocks of README.md and docs/ may use without declaring it: the host's own
 * objects (a user directory, a logger, the request's params...) and the names earlier blocks of
 * the same page set up (`kw`, `alice`, `token`...). `npm run check:docs` compiles every block
 * as its own module against these declarations and against keyward's sources.
 */
import type { Actor, Keyward, Resource, StorageAdapter, UserActor, VerifiedPrincipal } from '../src/index.js';

declare global {
  /** The keyward instance set up in the guide's first block. */
  const kw: Keyward;
  const storage: StorageAdapter;
  const db: { destroy(): Promise<void> };
  /** Actors of the examples. */
  const alice: UserActor;
  const admin: UserActor;
  const exporter: UserActor;
  const manager: Parameters<Keyward['policy']['exceedingGrant']>[0];
  const principal: Actor;
  /** A presented API key, and what the host knows about the request. */
  const token: string;
  /** The id of a key the examples change. */
  const keyId: string;
  /** The id of a service account the examples change. */
  const serviceAccountId: string;
  const ip: string;
  const userAgent: string;
  const params: { readonly workspace: string; readonly dataset: string };
  const tenantId: string;
  const workspaceId: string;
  const datasetId: string;
  /** The host's own directory of users and resources. */
  const users: { actorFor(id: string, tenantId: string): Promise<UserActor | null> };
  const directory: {
    actor(tenantId: string, id: string): Promise<UserActor | null>;
    dataset(workspaceId: string, datasetId: string): Promise<Resource | null>;
  };
  /** Host hooks and helpers the examples call. */
  function handle(principal: VerifiedPrincipal): void;
  const log: { (...values: unknown[]): void; warn(...values: unknown[]): void };
  function lastShippedCursor(): Promise<string | undefined>;
  function ship(items: readonly unknown[], cursor: string): Promise<void>;
  function sleep(ms: number): Promise<void>;
  function myAdapter(connection?: unknown): StorageAdapter;
  function secondConnection(): unknown;
  function truncateEverything(): Promise<void>;
  const onDenied: undefined;
  const limit: undefined;
}
