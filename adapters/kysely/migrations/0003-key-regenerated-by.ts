import type { Migration } from 'kysely';

/**
 * 0003: `keyward_api_keys.regenerated_by`, the JSON `ActorRef` of who received a key's current
 * secret through `regenerate` (existing keys get `null`: their creator's secret is current).
 *
 * @internal
 */
export function keyRegeneratedByMigration(): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('keyward_api_keys').addColumn('regenerated_by', 'text').execute();
    },
    async down(db) {
      await db.schema.alterTable('keyward_api_keys').dropColumn('regenerated_by').execute();
    },
  };
}
