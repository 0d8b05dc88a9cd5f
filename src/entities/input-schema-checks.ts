/**
 * Compile-time proof that every input interface and its zod schema accept the same values: the
 * interfaces are what hosts (and the API docs) read, the schemas what runs. Nothing here runs;
 * `npm run typecheck` fails when the two drift apart. Readonly arrays in an interface are
 * accepted by the schema's mutable ones (zod never writes to its input).
 *
 * @internal
 * @packageDocumentation
 */
import type { z } from 'zod';
import type { UserActor, userActorSchema } from './actor.js';
import type {
  FollowAuditInput,
  followAuditInputSchema,
  ListAuditInput,
  listAuditInputSchema,
} from './audit-inputs.js';
import type {
  IssueKeyInput,
  issueKeyInputSchema,
  KeyRefInput,
  keyRefInputSchema,
  ListKeysInput,
  listKeysInputSchema,
  NewKeyInput,
  newKeySchema,
  QueryKeysInput,
  queryKeysInputSchema,
  RegenerateKeyInput,
  regenerateKeyInputSchema,
  UpdateKeyInput,
  updateKeyInputSchema,
} from './key-inputs.js';
import type { SweepKeysInput, sweepKeysInputSchema } from './key-sweep-inputs.js';
import type {
  IssuePersonalKeyInput,
  issuePersonalKeyInputSchema,
  ListAllPersonalKeysInput,
  ListPersonalKeysInput,
  listAllPersonalKeysInputSchema,
  listPersonalKeysInputSchema,
  PersonalKeyRefInput,
  personalKeyRefInputSchema,
} from './personal-key-inputs.js';
import type { ReassignKeysInput, reassignKeysInputSchema } from './reassign-keys-inputs.js';
import type {
  ChangeDatasetsInput,
  CreateServiceAccountInput,
  changeDatasetsInputSchema,
  createServiceAccountInputSchema,
  ListServiceAccountsInput,
  listServiceAccountsInputSchema,
  ServiceAccountRefInput,
  SetDatasetAccessInput,
  serviceAccountRefInputSchema,
  setDatasetAccessInputSchema,
  UpdateServiceAccountInput,
  updateServiceAccountInputSchema,
} from './service-account-inputs.js';
import type { Holds, Writable } from './type-checks.js';

/** `true` when the interface `I` and the schema `S` accept the same inputs. */
type SameInput<I, S extends z.ZodType> = [Writable<I>] extends [z.input<S>]
  ? [z.input<S>] extends [I]
    ? true
    : false
  : false;

/** Every input interface against its schema. */
export type InputSchemaChecks = [
  Holds<SameInput<UserActor, typeof userActorSchema>>,
  Holds<SameInput<CreateServiceAccountInput, typeof createServiceAccountInputSchema>>,
  Holds<SameInput<UpdateServiceAccountInput, typeof updateServiceAccountInputSchema>>,
  Holds<SameInput<SetDatasetAccessInput, typeof setDatasetAccessInputSchema>>,
  Holds<SameInput<ChangeDatasetsInput, typeof changeDatasetsInputSchema>>,
  Holds<SameInput<ServiceAccountRefInput, typeof serviceAccountRefInputSchema>>,
  Holds<SameInput<ListServiceAccountsInput, typeof listServiceAccountsInputSchema>>,
  Holds<SameInput<NewKeyInput, typeof newKeySchema>>,
  Holds<SameInput<IssueKeyInput, typeof issueKeyInputSchema>>,
  Holds<SameInput<RegenerateKeyInput, typeof regenerateKeyInputSchema>>,
  Holds<SameInput<KeyRefInput, typeof keyRefInputSchema>>,
  Holds<SameInput<ListKeysInput, typeof listKeysInputSchema>>,
  Holds<SameInput<UpdateKeyInput, typeof updateKeyInputSchema>>,
  Holds<SameInput<QueryKeysInput, typeof queryKeysInputSchema>>,
  Holds<SameInput<SweepKeysInput, typeof sweepKeysInputSchema>>,
  Holds<SameInput<ReassignKeysInput, typeof reassignKeysInputSchema>>,
  Holds<SameInput<ListAuditInput, typeof listAuditInputSchema>>,
  Holds<SameInput<FollowAuditInput, typeof followAuditInputSchema>>,
  Holds<SameInput<IssuePersonalKeyInput, typeof issuePersonalKeyInputSchema>>,
  Holds<SameInput<ListPersonalKeysInput, typeof listPersonalKeysInputSchema>>,
  Holds<SameInput<ListAllPersonalKeysInput, typeof listAllPersonalKeysInputSchema>>,
  Holds<SameInput<PersonalKeyRefInput, typeof personalKeyRefInputSchema>>,
];
