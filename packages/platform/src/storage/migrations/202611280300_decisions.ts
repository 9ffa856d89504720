import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Promotion decisions: a challenger judged against the champion under a policy, with the facts it
 * was judged on and the verdict rule by rule. Written with its audit entry in one transaction;
 * an approval updates the row (and appends its own entry).
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types
    await db.schema
      .createTable('promotion_decisions')
      .addColumn('id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('model', text, (c) => c.notNull())
      .addColumn('challenger_version', bigint, (c) => c.notNull())
      // Null when there was no champion to compare with.
      .addColumn('champion_version', bigint)
      // The policy in its written form, the facts, and the verdict per rule: JSON.
      .addColumn('policy', text, (c) => c.notNull())
      .addColumn('facts', text, (c) => c.notNull())
      // passed | failed | pending_approval
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('rules', text, (c) => c.notNull())
      // The pipeline run whose evaluate step decided; null when decided by hand.
      .addColumn('pipeline_run', text)
      .addColumn('decided_at', bigint, (c) => c.notNull())
      .addColumn('decided_by', text, (c) => c.notNull())
      .addColumn('approved_by', text)
      .addColumn('approved_at', bigint)
      .execute()
    await db.schema
      .createIndex('promotion_decisions_model')
      .on('promotion_decisions')
      .columns(['model', 'id'])
      .execute()
  }
}
