import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, double, text } = ctx.types

    await db.schema
      .createTable('experiments')
      .addColumn('experiment_id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('name', text, (c) => c.notNull().unique())
      .addColumn('artifact_location', text, (c) => c.notNull())
      .addColumn('lifecycle_stage', text, (c) => c.notNull())
      .addColumn('creation_time', bigint, (c) => c.notNull())
      .addColumn('last_update_time', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('experiment_tags')
      .addColumn('experiment_id', bigint, (c) =>
        c.notNull().references('experiments.experiment_id'),
      )
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
      .execute()

    await db.schema
      .createTable('runs')
      .addColumn('run_uuid', text, (c) => c.primaryKey())
      .addColumn('experiment_id', bigint, (c) =>
        c.notNull().references('experiments.experiment_id'),
      )
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('start_time', bigint, (c) => c.notNull())
      .addColumn('end_time', bigint)
      .addColumn('lifecycle_stage', text, (c) => c.notNull())
      .addColumn('artifact_uri', text, (c) => c.notNull())
      .addColumn('deleted_time', bigint)
      .execute()
    await db.schema
      .createIndex('runs_experiment_start')
      .on('runs')
      .columns(['experiment_id', 'start_time'])
      .execute()

    for (const table of ['params', 'tags']) {
      await db.schema
        .createTable(table)
        .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid'))
        .addColumn('key', text, (c) => c.notNull())
        .addColumn('value', text, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['run_uuid', 'key'])
        .execute()
      await db.schema
        .createIndex(`${table}_key_value`)
        .on(table)
        .columns(['key', 'value'])
        .execute()
    }

    // MLflow's key: a point logged twice (a retried batch) is stored once. Points are appended
    // far more than anything else and read back as one key's history, in key order.
    await ctx
      .storedByPrimaryKey(db.schema.createTable('metrics'))
      .addColumn('run_uuid', text, (c) => c.notNull())
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', double, (c) => c.notNull())
      .addColumn('timestamp', bigint, (c) => c.notNull())
      .addColumn('step', bigint, (c) => c.notNull())
      .addColumn('is_nan', ctx.types.smallint, (c) => c.notNull())
      .addPrimaryKeyConstraint('metrics_pk', [
        'run_uuid',
        'key',
        'step',
        'timestamp',
        'value',
        'is_nan',
      ])
      .execute()

    await db.schema
      .createTable('latest_metrics')
      .addColumn('run_uuid', text, (c) => c.notNull().references('runs.run_uuid'))
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', double, (c) => c.notNull())
      .addColumn('timestamp', bigint, (c) => c.notNull())
      .addColumn('step', bigint, (c) => c.notNull())
      .addColumn('is_nan', ctx.types.smallint, (c) => c.notNull())
      .addPrimaryKeyConstraint('latest_metrics_pk', ['run_uuid', 'key'])
      .execute()
    await db.schema
      .createIndex('latest_metrics_key_value')
      .on('latest_metrics')
      .columns(['key', 'value'])
      .execute()

    await db.schema
      .createTable('datasets')
      .addColumn('dataset_uuid', text, (c) => c.primaryKey())
      .addColumn('experiment_id', bigint, (c) =>
        c.notNull().references('experiments.experiment_id'),
      )
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('digest', text, (c) => c.notNull())
      .addColumn('source_type', text, (c) => c.notNull())
      .addColumn('source', text, (c) => c.notNull())
      .addColumn('schema', text)
      .addColumn('profile', text)
      .addUniqueConstraint('datasets_unique', ['experiment_id', 'name', 'digest'])
      .execute()

    await db.schema
      .createTable('inputs')
      .addColumn('input_uuid', text, (c) => c.primaryKey())
      .addColumn('source_type', text, (c) => c.notNull())
      .addColumn('source_id', text, (c) => c.notNull())
      .addColumn('destination_type', text, (c) => c.notNull())
      .addColumn('destination_id', text, (c) => c.notNull())
      .addUniqueConstraint('inputs_unique', [
        'source_type',
        'source_id',
        'destination_type',
        'destination_id',
      ])
      .execute()
    await db.schema
      .createIndex('inputs_destination')
      .on('inputs')
      .columns(['destination_type', 'destination_id'])
      .execute()

    await db.schema
      .createTable('input_tags')
      .addColumn('input_uuid', text, (c) => c.notNull().references('inputs.input_uuid'))
      .addColumn('key', text, (c) => c.notNull())
      .addColumn('value', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('input_tags_pk', ['input_uuid', 'key'])
      .execute()

    await db.schema
      .createTable('artifact_files')
      .addColumn('path', text, (c) => c.primaryKey())
      .addColumn('digest', text, (c) => c.notNull())
      .addColumn('size', bigint, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('tokens')
      .addColumn('token_id', text, (c) => c.primaryKey())
      .addColumn('name', text, (c) => c.notNull().unique())
      .addColumn('role', text, (c) => c.notNull())
      .addColumn('token_hash', text, (c) => c.notNull().unique())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('last_used_at', bigint)
      .addColumn('revoked_at', bigint)
      .execute()

    const now = Date.now()
    await db
      .insertInto('experiments' as never)
      .values({
        experiment_id: 0,
        name: 'Default',
        artifact_location: 'mlflow-artifacts:/0',
        lifecycle_stage: 'active',
        creation_time: now,
        last_update_time: now,
      })
      .execute()
  }
}
