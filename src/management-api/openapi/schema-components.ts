import type { z } from 'zod';
import { actorRefSchema, auditActorSchema } from '../../entities/actor.js';
import { auditEventSchema } from '../../entities/audit-event.js';
import { datasetAccessSchema } from '../../entities/dataset-grant.js';
import { newKeySchema } from '../../entities/key-inputs.js';
import { serviceAccountSchema } from '../../entities/service-account.js';
import { metadataSchema } from '../../entities/text.js';
import { accountSampleCodeSchema } from '../account-sample-code.js';
import {
  answeredCreatedAccountSchema,
  answeredKeySchema,
  apiKeyInfoSchema,
  apiKeyPageSchema,
  auditEventPageSchema,
  auditFollowPageSchema,
  keySampleCodeSchema,
  serviceAccountCatalogSchema,
  serviceAccountPageSchema,
} from '../result-schemas.js';
import { problemDetailsSchema, problemFieldErrorSchema } from './problem-schema.js';

/** A reusable schema of the document: `#/components/schemas/<name>`. @internal */
export interface SchemaComponent {
  readonly name: string;
  readonly schema: z.ZodType;
  /** What it is, for readers of the document. */
  readonly description: string;
}

/** Sent and answered alike. */
const DATASET_ACCESS: SchemaComponent = {
  name: 'DatasetAccess',
  schema: datasetAccessSchema,
  description: 'Which datasets of its workspace an account reaches: `all`, or `selected` ones.',
};

/** Sent and answered alike. */
const METADATA: SchemaComponent = {
  name: 'Metadata',
  schema: metadataSchema,
  description: 'Host metadata: up to 20 flat values. Never put secrets here.',
};

/** Named schemas of what the API answers (their `output` side, in JSON form). @internal */
export const RESULT_COMPONENTS: readonly SchemaComponent[] = [
  {
    name: 'ServiceAccount',
    schema: serviceAccountSchema,
    description:
      'A machine identity bound to one workspace, owning API keys. `version` grows with every change and is the `ETag`.',
  },
  {
    name: 'ActorRef',
    schema: actorRefSchema,
    description: 'Who made a change: a person (`user`) or an API key (`key`, with its account).',
  },
  {
    name: 'AuditActor',
    schema: auditActorSchema,
    description:
      'Who an audit event records: an `ActorRef`, or keyward itself (`system`: `secret_scanning` for a leak report).',
  },
  DATASET_ACCESS,
  METADATA,
  {
    name: 'ApiKey',
    schema: apiKeyInfoSchema,
    description:
      'An API key: never its secret nor its digest. `status` is `expired` once `expiresAt` is past.',
  },
  {
    name: 'IssuedKey',
    schema: answeredKeySchema,
    description:
      'A key with its token. The token is shown this once; keyward keeps only its digest. `sampleCode` (when the host configured endpoint URLs) holds the same token.',
  },
  {
    name: 'KeySampleCode',
    schema: keySampleCodeSchema,
    description:
      'Ready-to-run curl, TypeScript and Python calling the workspace endpoints with the new token.',
  },
  {
    name: 'CreatedServiceAccount',
    schema: answeredCreatedAccountSchema,
    description: 'A new account, and its first key when `firstKey` was given.',
  },
  {
    name: 'ServiceAccountPage',
    schema: serviceAccountPageSchema,
    description: 'A page of service accounts.',
  },
  { name: 'ApiKeyPage', schema: apiKeyPageSchema, description: 'A page of API keys.' },
  {
    name: 'AuditEvent',
    schema: auditEventSchema,
    description: 'Who did what, to what, when, from where; `before` and `after` are redacted snapshots.',
  },
  { name: 'AuditEventPage', schema: auditEventPageSchema, description: 'A page of audit events.' },
  {
    name: 'AuditFollowPage',
    schema: auditFollowPageSchema,
    description: 'Events after the cursor, oldest first; `cursor` continues, `caughtUp` says to wait.',
  },
  {
    name: 'ServiceAccountCatalog',
    schema: serviceAccountCatalogSchema,
    description: 'Roles assignable to service accounts and the permissions the caller holds.',
  },
  {
    name: 'SampleCode',
    schema: accountSampleCodeSchema,
    description: 'A snippet calling the workspace endpoints, with `YOUR_API_KEY` for the secret.',
  },
  {
    name: 'Problem',
    schema: problemDetailsSchema,
    description: 'An RFC 9457 problem; `code` is the stable machine code.',
  },
  {
    name: 'ProblemFieldError',
    schema: problemFieldErrorSchema,
    description: 'One validation issue: a JSON Pointer to the member, zod issue code, and what is wrong.',
  },
];

/** Named schemas of what clients send (their `input` side: members with a default are optional). @internal */
export const INPUT_COMPONENTS: readonly SchemaComponent[] = [
  {
    name: 'NewKey',
    schema: newKeySchema,
    description: 'A key to issue: name, environment, narrower scopes, and an expiry (absolute or relative).',
  },
  DATASET_ACCESS,
  METADATA,
];
