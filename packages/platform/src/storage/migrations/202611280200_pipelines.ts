import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Pipelines: their specs as last applied, their runs, one row per step per run, and the step cache
 * (a digest of a step's kind and resolved inputs → the outputs a run produced). JSON is stored as
 * text on both backends. Jobs gain `run_after`: a retry waits out its backoff in the queue.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('pipelines')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('spec_yaml', text)
      .addColumn('spec', text, (c) => c.notNull())
      .addColumn('digest', text, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('pipeline_runs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('pipeline', text, (c) => c.notNull())
      // The spec the run follows, frozen when it started: a later apply does not change it.
      .addColumn('spec', text, (c) => c.notNull())
      .addColumn('spec_digest', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('trigger', text, (c) => c.notNull())
      .addColumn('params', text, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('started_at', bigint)
      .addColumn('finished_at', bigint)
      .addColumn('error', text)
      .execute()
    await db.schema
      .createIndex('pipeline_runs_pipeline_created')
      .on('pipeline_runs')
      .columns(['pipeline', 'created_at'])
      .execute()
    // The resume check reads the runs still running.
    await db.schema
      .createIndex('pipeline_runs_status')
      .on('pipeline_runs')
      .column('status')
      .execute()

    await db.schema
      .createTable('pipeline_steps')
      .addColumn('run_id', text, (c) => c.notNull())
      .addColumn('step', text, (c) => c.notNull())
      .addColumn('position', bigint, (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('attempts', bigint, (c) => c.notNull())
      .addColumn('job_id', text)
      .addColumn('cache_key', text)
      .addColumn('outputs', text)
      .addColumn('tracking_run_id', text)
      .addColumn('error', text)
      .addColumn('started_at', bigint)
      .addColumn('finished_at', bigint)
      .addPrimaryKeyConstraint('pipeline_steps_pk', ['run_id', 'step'])
      .execute()

    await db.schema
      .createTable('step_cache')
      .addColumn('cache_key', text, (c) => c.primaryKey())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('outputs', text, (c) => c.notNull())
      .addColumn('source_run_id', text, (c) => c.notNull())
      .addColumn('source_step', text, (c) => c.notNull())
      .addColumn('tracking_run_id', text)
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute()

    await db.schema.alterTable('jobs').addColumn('run_after', bigint).execute()
  }
}
