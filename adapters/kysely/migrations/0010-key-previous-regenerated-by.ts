import type { Migration } from 'kysely';

/**
 * 0010: `keyward_api_keys.previous_regenerated_by`, the JSON `ActorRef` of who received the
 * previous secret a grace period keeps (existing keys get `null`: a previous secret they still
 * hold has an unknown receiver, which the live creator boundary refuses).
 *
 * @internal
 */
export function keyPreviousRegeneratedByMigration(): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('keyward_api_keys').addColumn('previous_regenerated_by', 'text').execute();
    },
    async down(db) {
      await db.schema.alterTable('keyward_api_keys').dropColumn('previous_regenerated_by').execute();
    },
  };
}
