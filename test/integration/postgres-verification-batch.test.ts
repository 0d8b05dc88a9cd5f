import type { Kysely, LogEvent } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiKeyToRow } from '../../adapters/kysely/api-key-row.js';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { serviceAccountToRow } from '../../adapters/kysely/service-account-row.js';
import { MAX_VERIFICATION_BATCH } from '../../adapters/kysely/verification-batch.js';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { KeyWithAccount, StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';

const adminUrl = inject('databaseUrl');

/** Keys of two tenants (4 accounts of 5 keys), and one key whose tenant is not its account's. */
function world(): { accounts: ServiceAccount[]; keys: ApiKey[]; mismatched: ApiKey } {
  const accounts = ['t_one', 't_one', 't_two', 't_two'].map((tenantId, i) =>
    buildServiceAccount({ tenantId, workspaceId: `w_${i}` }),
  );
  const keys = accounts.flatMap((account) => Array.from({ length: 5 }, () => buildApiKeyFor(account)));
  const mismatched = { ...buildApiKeyFor(accounts[0] as ServiceAccount), tenantId: 't_two' };
  return { accounts, keys, mismatched };
}

/** The statements that read keys for verification (the single-id one and the batched one). */
function verificationReads(events: readonly LogEvent[]): string[] {
  return events
    .map((event) => event.query.sql)
    .filter((text) => text.includes('from "keyward_api_keys" as "k"'));
}

// Skipped only when the global setup found no PostgreSQL (it warns loudly; CI makes that fatal).
describe.runIf(adminUrl !== null)('PostgreSQL batches concurrent verification reads', () => {
  for (const prepared of [false, true]) {
    describe(prepared ? 'prepared statements' : 'plain pool', () => {
      let database: PostgresTestDatabase | undefined;
      let db: Kysely<KeywardDatabase>;
      let storage: StorageAdapter;
      const seeded = world();
      const logged: LogEvent[] = [];

      beforeAll(async () => {
        database = await createPostgresDatabase(adminUrl as string, 'verification_batch');
        db = openPostgres(
          database.url,
          4,
          (event) => {
            logged.push(event);
          },
          prepared,
        );
        await migrateToLatest(db);
        await db
          .insertInto('keyward_service_accounts')
          .values(seeded.accounts.map(serviceAccountToRow))
          .execute();
        await db
          .insertInto('keyward_api_keys')
          .values([...seeded.keys, seeded.mismatched].map(apiKeyToRow))
          .execute();
        storage = kyselyAdapter(db, { dialect: 'postgres' });
      }, 60_000);
      afterAll(async () => {
        await db?.destroy();
        await database?.drop();
      });

      it('50 concurrent reads each get their own answer, in a few statements', async () => {
        const accountOf = new Map(seeded.accounts.map((account) => [account.id, account]));
        const expected = new Map<string, KeyWithAccount | null>();
        for (const key of seeded.keys)
          expected.set(key.id, { key, account: accountOf.get(key.serviceAccountId) as ServiceAccount });
        expected.set(seeded.mismatched.id, null);
        for (let i = 0; i < 10; i++) expected.set(`unknown_${i}`, null);
        // 20 known keys of two tenants, 1 key whose tenant is not its account's, 10 unknown ids,
        // and 19 of them asked a second time: 50 reads.
        const ids = [...expected.keys()];
        const asked = [...ids, ...ids.slice(0, 50 - ids.length)];
        expect(asked).toHaveLength(50);
        logged.length = 0;
        const answers = await Promise.all(asked.map((keyId) => storage.findKeyForVerification({ keyId })));
        answers.forEach((answer, i) => {
          expect(answer).toEqual(expected.get(asked[i] as string));
        });
        const reads = verificationReads(logged);
        expect(reads.length).toBeGreaterThanOrEqual(1);
        expect(reads.length).toBeLessThanOrEqual(3);
        expect(reads.every((text) => text.includes('= any($1)'))).toBe(true);
        // Two reads of one id never share an object.
        const twice = asked.findIndex((id, i) => asked.indexOf(id) !== i);
        expect(answers[twice]).not.toBe(answers[asked.indexOf(asked[twice] as string)]);
      });

      it('a lone read runs the single-id statement', async () => {
        const key = seeded.keys[7] as ApiKey;
        logged.length = 0;
        const found = await storage.findKeyForVerification({ keyId: key.id });
        expect(found?.key).toEqual(key);
        const reads = verificationReads(logged);
        expect(reads).toHaveLength(1);
        expect(reads[0]).toMatch(/"k"\."id" = \$1$/);
      });

      it(`more than ${MAX_VERIFICATION_BATCH} distinct ids go out in statements of at most that many`, async () => {
        const ids = Array.from({ length: MAX_VERIFICATION_BATCH * 2 + 5 }, (_, i) =>
          i % 10 === 0 ? (seeded.keys[(i / 10) % seeded.keys.length] as ApiKey).id : `unknown_many_${i}`,
        );
        logged.length = 0;
        const answers = await Promise.all(ids.map((keyId) => storage.findKeyForVerification({ keyId })));
        answers.forEach((answer, i) => {
          expect(answer?.key.id ?? null).toBe(ids[i]?.startsWith('unknown') ? null : ids[i]);
        });
        const batches = logged.filter((event) => event.query.sql.includes('= any($1)'));
        expect(batches).toHaveLength(3);
        for (const event of batches)
          expect((event.query.parameters[0] as string[]).length).toBeLessThanOrEqual(MAX_VERIFICATION_BATCH);
      });

      it('reads inside a transaction are not batched', async () => {
        const [first, second] = seeded.keys as [ApiKey, ApiKey];
        logged.length = 0;
        const found = await storage.transaction((tx) =>
          Promise.all([
            tx.findKeyForVerification({ keyId: first.id }),
            tx.findKeyForVerification({ keyId: second.id }),
          ]),
        );
        expect(found.map((one) => one?.key.id)).toEqual([first.id, second.id]);
        expect(verificationReads(logged).every((text) => !text.includes('any('))).toBe(true);
      });
    });
  }

  it('a failed batch rejects every waiter with the same mapped KeywardError', async () => {
    const database = await createPostgresDatabase(adminUrl as string, 'verification_batch_fail');
    // No migration: the tables are missing.
    const db = openPostgres(database.url, 2);
    try {
      const storage = kyselyAdapter(db, { dialect: 'postgres' });
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c'].map((keyId) => storage.findKeyForVerification({ keyId })),
      );
      const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : outcome));
      expect(reasons[0]).toBeInstanceOf(KeywardError);
      expect((reasons[0] as KeywardError).code).toBe('STORAGE_SCHEMA');
      expect(reasons[1]).toBe(reasons[0]);
      expect(reasons[2]).toBe(reasons[0]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
