import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * MLflow's model registry: registered models, their numbered versions, tags and aliases. Rows
 * refer to a model by name with no foreign keys, because a rename rewrites the name everywhere in
 * one transaction.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('registered_models')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('creation_timestamp', bigint, (c) => c.notNull())
      .addColumn('last_updated_timestamp', bigint, (c) => c.notNull())
      .addColumn('description', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      // The highest version number handed out; bumped under the row lock of the creating write,
      // and never lowered, so a deleted version's number is never reused.
      .addColumn('version_count', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('registered_model_tags')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
      .execute()

    await db.schema
      .createTable('model_versions')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('creation_timestamp', bigint, (c) => c.notNull())
      .addColumn('last_updated_timestamp', bigint, (c) => c.notNull())
      .addColumn('description', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('current_stage', text, (c) => c.notNull())
      .addColumn('source', text, (c) => c.notNull())
      .addColumn('run_id', text, (c) => c.notNull())
      .addColumn('run_link', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      // The run's experiment and the artifact path inside the run, resolved from `source`.
      .addColumn('experiment_id', bigint, (c) => c.notNull())
      .addColumn('artifact_path', text, (c) => c.notNull())
      // ModelVersionLineage as JSON: a snapshot of the run taken at registration.
      .addColumn('lineage', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
      .execute()
    await db.schema
      .createIndex('model_versions_run')
      .on('model_versions')
      .column('run_id')
      .execute()

    await db.schema
      .createTable('model_version_tags')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
      .execute()

    await db.schema
      .createTable('registered_model_aliases')
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('alias', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_aliases_pk', ['name', 'alias'])
      .execute()
  }
}
