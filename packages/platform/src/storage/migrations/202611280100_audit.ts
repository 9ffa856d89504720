import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * The audit log: one entry per change, appended in the change's own transaction, each holding the
 * SHA-256 of the entry before it. `audit_head` holds the last sequence number and hash; updating
 * it first in every append serializes appenders (its row lock on PostgreSQL, the single writer on
 * SQLite), so the chain never forks.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, smallint, text } = ctx.types
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', bigint, (c) => c.primaryKey())
      .addColumn('time', bigint, (c) => c.notNull())
      // A token's name, `anonymous`, or `system:<automation>`.
      .addColumn('actor', text, (c) => c.notNull())
      // `<context>.<verb>`: deployment.promote, model.alias.set, dataset.version.create, …
      .addColumn('action', text, (c) => c.notNull())
      // `<kind>:<name>`: deployment:flights, model:flights/3, dataset:flights@2, monitor:flights.
      .addColumn('target', text, (c) => c.notNull())
      // SHA-256 of the target's state before and after, as canonical JSON; null when absent.
      .addColumn('before_digest', text)
      .addColumn('after_digest', text)
      // Why, or what else a reader wants: JSON.
      .addColumn('detail', text)
      .addColumn('prev_hash', text, (c) => c.notNull())
      .addColumn('hash', text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('audit_log_target')
      .on('audit_log')
      .columns(['target', 'seq'])
      .execute()

    await db.schema
      .createTable('audit_head')
      .addColumn('id', smallint, (c) => c.primaryKey())
      .addColumn('seq', bigint, (c) => c.notNull())
      .addColumn('hash', text, (c) => c.notNull())
      .execute()
    await (db as Kysely<{ audit_head: { id: number; seq: number; hash: string } }>)
      .insertInto('audit_head')
      .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
      .execute()
  }
}
