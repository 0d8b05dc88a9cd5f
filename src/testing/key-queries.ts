import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { KeyQuery } from '../storage/storage-adapter.js';
import { assertDeepEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';
import { idsInOrder, walkPages } from './record-paging.js';
import { richApiKey } from './rich-records.js';

/** The instant derived statuses are computed at, unless a test says otherwise. */
const NOW = fixtureTime(100_000);

/** One tenant's keys, each chosen for a filter's edge; see {@link describeKeyQueries}. */
interface KeyWorld {
  readonly tenantId: string;
  readonly keys: Readonly<Record<WorldKey, ApiKey>>;
}

type WorldKey =
  | 'usedAtBound'
  | 'revokedDisabledExpired'
  | 'disabledExpired'
  | 'expiresAtNow'
  | 'expiresJustAfterNow'
  | 'usedLongAgo'
  | 'createdAtBound'
  | 'disabledTest';

/**
 * `queryKeys`: every filter alone and combined, derived statuses (`revoked` > `disabled` >
 * `expired` > `active`) at the given `now`, tenant isolation, order and cursor pages.
 *
 * @internal
 */
export function describeKeyQueries({ adapter, describe, it }: ConformanceContext): void {
  async function storedAccount(tenantId: string, workspaceId: string): Promise<ServiceAccount> {
    const account = buildServiceAccount({ tenantId, workspaceId });
    await adapter().insertServiceAccount({ account });
    return account;
  }

  async function storedKeys(keys: readonly ApiKey[]): Promise<void> {
    for (const key of keys) await adapter().insertKeyIfUnderLimit({ key, limit: 1_000, now: fixtureTime() });
  }

  /**
   * Eight keys over two workspaces, created in the order listed (so that is the page order):
   * statuses, environments, expiries and last uses on both sides of the bounds the tests use
   * (`now` = 100 s, `expiresBefore` = 100 s or 150 s, `unusedSince` = 50 s).
   */
  async function storedWorld(tenantId = testTenantId()): Promise<KeyWorld> {
    const a = await storedAccount(tenantId, 'ws-a');
    const b = await storedAccount(tenantId, 'ws-b');
    const at = (ms: number) => fixtureTime(ms);
    const keys: Record<WorldKey, ApiKey> = {
      usedAtBound: buildApiKeyFor(a, { createdAt: at(1), lastUsedAt: at(50_000) }),
      revokedDisabledExpired: buildApiKeyFor(a, {
        environment: 'test',
        createdAt: at(2),
        status: 'revoked',
        revokedAt: at(30_000),
        disabledAt: at(20_000),
        expiresAt: at(50_000),
      }),
      disabledExpired: buildApiKeyFor(a, { createdAt: at(3), disabledAt: at(20_000), expiresAt: at(50_000) }),
      expiresAtNow: buildApiKeyFor(b, { createdAt: at(4), expiresAt: NOW }),
      expiresJustAfterNow: buildApiKeyFor(b, {
        environment: 'test',
        createdAt: at(5),
        expiresAt: at(100_001),
      }),
      usedLongAgo: buildApiKeyFor(b, { createdAt: at(6), expiresAt: at(200_000), lastUsedAt: at(10_000) }),
      disabledTest: buildApiKeyFor(a, { environment: 'test', createdAt: at(7), disabledAt: at(40_000) }),
      createdAtBound: buildApiKeyFor(a, { createdAt: at(50_000) }),
    };
    await storedKeys(Object.values(keys));
    return { tenantId, keys };
  }

  /** The names of the world's keys `queryKeys` returns for `query` (tenant and `now` filled in). */
  async function query(world: KeyWorld, filters: Partial<KeyQuery>): Promise<string[]> {
    const names = new Map(Object.entries(world.keys).map(([name, key]) => [key.id, name]));
    const rows = await adapter().queryKeys({ tenantId: world.tenantId, now: NOW, limit: 100, ...filters });
    return rows.map((row) => names.get(row.id) ?? `foreign key ${row.id}`);
  }

  describe('querying keys', () => {
    it('without filters returns every key of the tenant, by createdAt then id', async () => {
      const world = await storedWorld();
      assertDeepEqual(await query(world, {}), [
        'usedAtBound',
        'revokedDisabledExpired',
        'disabledExpired',
        'expiresAtNow',
        'expiresJustAfterNow',
        'usedLongAgo',
        'disabledTest',
        'createdAtBound',
      ]);
    });

    it('filters by derived status: revoked > disabled > expired (expiresAt <= now) > active', async () => {
      const world = await storedWorld();
      assertDeepEqual(await query(world, { status: 'revoked' }), ['revokedDisabledExpired']);
      assertDeepEqual(await query(world, { status: 'disabled' }), ['disabledExpired', 'disabledTest']);
      assertDeepEqual(await query(world, { status: 'expired' }), ['expiresAtNow']);
      assertDeepEqual(await query(world, { status: 'active' }), [
        'usedAtBound',
        'expiresJustAfterNow',
        'usedLongAgo',
        'createdAtBound',
      ]);
    });

    it('derives expired from the now it is given', async () => {
      const world = await storedWorld();
      const early = fixtureTime(0);
      assertDeepEqual(await query(world, { status: 'expired', now: early }), []);
      const late = fixtureTime(300_000);
      assertDeepEqual(await query(world, { status: 'expired', now: late }), [
        'expiresAtNow',
        'expiresJustAfterNow',
        'usedLongAgo',
      ]);
      assertDeepEqual(await query(world, { status: 'active', now: late }), ['usedAtBound', 'createdAtBound']);
    });

    it('filters by workspace and by environment', async () => {
      const world = await storedWorld();
      assertDeepEqual(await query(world, { workspaceId: 'ws-b' }), [
        'expiresAtNow',
        'expiresJustAfterNow',
        'usedLongAgo',
      ]);
      assertDeepEqual(await query(world, { environment: 'test' }), [
        'revokedDisabledExpired',
        'expiresJustAfterNow',
        'disabledTest',
      ]);
      assertDeepEqual(await query(world, { workspaceId: 'ws-none' }), []);
    });

    it('expiresBefore matches expiresAt strictly before it; keys that never expire never match', async () => {
      const world = await storedWorld();
      assertDeepEqual(await query(world, { expiresBefore: NOW }), [
        'revokedDisabledExpired',
        'disabledExpired',
      ]);
      assertDeepEqual(await query(world, { expiresBefore: fixtureTime(150_000) }), [
        'revokedDisabledExpired',
        'disabledExpired',
        'expiresAtNow',
        'expiresJustAfterNow',
      ]);
    });

    it('unusedSince matches keys created and last used (or never used) strictly before it', async () => {
      const world = await storedWorld();
      assertDeepEqual(await query(world, { unusedSince: fixtureTime(50_000) }), [
        'revokedDisabledExpired',
        'disabledExpired',
        'expiresAtNow',
        'expiresJustAfterNow',
        'usedLongAgo',
        'disabledTest',
      ]);
    });

    it('combines every filter given', async () => {
      const world = await storedWorld();
      const unusedSince = fixtureTime(50_000);
      // The CIS sweep: active live keys not used since the bound.
      assertDeepEqual(await query(world, { status: 'active', environment: 'live', unusedSince }), [
        'usedLongAgo',
      ]);
      assertDeepEqual(await query(world, { workspaceId: 'ws-a', status: 'disabled' }), [
        'disabledExpired',
        'disabledTest',
      ]);
      const expiresBefore = fixtureTime(150_000);
      assertDeepEqual(await query(world, { workspaceId: 'ws-b', status: 'active', expiresBefore }), [
        'expiresJustAfterNow',
      ]);
      assertDeepEqual(
        await query(world, { workspaceId: 'ws-a', environment: 'test', expiresBefore, unusedSince }),
        ['revokedDisabledExpired'],
      );
      assertDeepEqual(await query(world, { status: 'revoked', environment: 'live' }), []);
    });

    it("never returns another tenant's keys, whatever the filters", async () => {
      const mine = await storedWorld();
      const theirs = await storedWorld();
      const filters: Partial<KeyQuery>[] = [
        {},
        { workspaceId: 'ws-a' },
        { status: 'disabled' },
        { environment: 'test' },
        { expiresBefore: fixtureTime(150_000) },
        { unusedSince: fixtureTime(50_000) },
      ];
      for (const filter of filters) {
        for (const [world, other] of [
          [mine, theirs],
          [theirs, mine],
        ] as const) {
          const foreign = new Set(Object.values(other.keys).map((key) => key.id));
          const rows = await adapter().queryKeys({
            tenantId: world.tenantId,
            now: NOW,
            limit: 100,
            ...filter,
          });
          assertDeepEqual(
            rows.filter((row) => foreign.has(row.id) || row.tenantId !== world.tenantId),
            [],
            `tenant filter ${JSON.stringify(filter)}`,
          );
        }
      }
      assertDeepEqual(await adapter().queryKeys({ tenantId: testTenantId(), now: NOW, limit: 100 }), []);
    });

    it('pages with limit and a cursor, ties on createdAt by id, without repeating or skipping', async () => {
      const tenantId = testTenantId();
      const account = await storedAccount(tenantId, 'ws-a');
      const keys = Array.from({ length: 23 }, (_, index) =>
        buildApiKeyFor(account, {
          id: testKeyId(['z', 'A', '9', 'a', 'Z', '0'][index % 6]),
          environment: index % 3 === 0 ? 'test' : 'live',
          createdAt: fixtureTime(index < 15 ? 9 : index),
        }),
      );
      await storedKeys(keys);
      const live = keys.filter((key) => key.environment === 'live');
      const walked = await walkPages((after) =>
        adapter().queryKeys({ tenantId, environment: 'live', now: NOW, limit: 4, after }),
      );
      assertDeepEqual(walked.ids, idsInOrder(live));
      assertDeepEqual(walked.pageSizes, [4, 4, 4, 3]);
      const first = await adapter().queryKeys({ tenantId, now: NOW, limit: 2 });
      assertDeepEqual(
        first.map((key) => key.id),
        idsInOrder(keys).slice(0, 2),
      );
      const between = await adapter().queryKeys({
        tenantId,
        now: NOW,
        limit: 100,
        after: { createdAt: fixtureTime(9), id: 'zzzzzzzzzzzzzzzzzzzz' },
      });
      assertDeepEqual(
        between.map((key) => key.id),
        idsInOrder(keys).slice(15),
      );
    });

    it('returns keys exactly as stored, and sees its own writes inside a transaction', async () => {
      const tenantId = testTenantId();
      const account = await storedAccount(tenantId, 'ws-a');
      const rich = richApiKey(account);
      await storedKeys([rich]);
      const [found] = await adapter().queryKeys({ tenantId, status: 'disabled', now: NOW, limit: 10 });
      assertSameRecord(found, rich);
      const added = buildApiKeyFor(account, { createdAt: fixtureTime(1) });
      await adapter().transaction(async (tx) => {
        await tx.insertKeyIfUnderLimit({ key: added, limit: 10, now: fixtureTime() });
        const seen = await tx.queryKeys({ tenantId, status: 'active', now: NOW, limit: 10 });
        assertDeepEqual(
          seen.map((key) => key.id),
          [added.id],
        );
      });
    });
  });
}
