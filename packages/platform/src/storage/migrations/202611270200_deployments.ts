import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Deployments (what each endpoint serves), the history of their changes, and one global revision
 * counter. Every change bumps the counter in its own transaction (deletes included), so a server
 * learns whether anything changed with one single-row read; the counter's row lock also
 * serializes concurrent changes on PostgreSQL.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, double, smallint, text } = ctx.types

    await db.schema
      .createTable('deployments')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('model', text, (c) => c.notNull())
      // `alias` (follows target_alias) or `version` (pinned).
      .addColumn('target_kind', text, (c) => c.notNull())
      .addColumn('target_alias', text)
      // Pinned: the version. Alias: the version the alias pointed at when last looked at.
      .addColumn('target_version', bigint)
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('previous_version', bigint)
      .addColumn('canary_version', bigint)
      .addColumn('canary_percent', double)
      .addColumn('shadow_version', bigint)
      .addColumn('revision', bigint, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('deployment_events')
      .addColumn('id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('deployment', text, (c) => c.notNull())
      .addColumn('time', bigint, (c) => c.notNull())
      .addColumn('actor', text, (c) => c.notNull())
      .addColumn('action', text, (c) => c.notNull())
      // The deployment before and after the change, as JSON; null when it did not exist.
      .addColumn('before', text)
      .addColumn('after', text)
      .addColumn('revision', bigint, (c) => c.notNull())
      // Why, in words, when the change is not plain from before and after.
      .addColumn('detail', text)
      .execute()
    await db.schema
      .createIndex('deployment_events_deployment')
      .on('deployment_events')
      .columns(['deployment', 'id'])
      .execute()

    await db.schema
      .createTable('deployment_revision')
      .addColumn('id', smallint, (c) => c.primaryKey())
      .addColumn('revision', bigint, (c) => c.notNull())
      .execute()
    await (db as Kysely<{ deployment_revision: { id: number; revision: number } }>)
      .insertInto('deployment_revision')
      .values({ id: 1, revision: 0 })
      .execute()
  }
}
