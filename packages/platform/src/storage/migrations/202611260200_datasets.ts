import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Managed datasets and their immutable versions. `datasets` is MLflow's table of logged inputs;
 * these are Ballast's own, and lineage joins the two by digest.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('managed_datasets')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      // The highest version number handed out; bumped under the row lock of the publishing write.
      .addColumn('version_count', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('dataset_versions')
      .addColumn('name', text, (c) => c.notNull().references('managed_datasets.name'))
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('digest', text, (c) => c.notNull())
      .addColumn('source_digest', text, (c) => c.notNull())
      .addColumn('source', text, (c) => c.notNull())
      .addColumn('format', text, (c) => c.notNull())
      .addColumn('row_count', bigint, (c) => c.notNull())
      .addColumn('schema', text, (c) => c.notNull())
      .addColumn('profile', text)
      .addColumn('blob_digest', text, (c) => c.notNull())
      .addColumn('size_bytes', bigint, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('dataset_versions_pk', ['name', 'version'])
      .addUniqueConstraint('dataset_versions_source', ['name', 'source_digest'])
      .execute()
    await db.schema
      .createIndex('dataset_versions_digest')
      .on('dataset_versions')
      .column('digest')
      .execute()
  }
}
