import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * The job queue: typed jobs with a lease held by the worker running them, their log lines, and the
 * workers alive. JSON values (payload, result, error, kinds) are stored as text on both backends.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('jobs')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('payload', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('attempts', bigint, (c) => c.notNull())
      .addColumn('max_attempts', bigint, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('started_at', bigint)
      .addColumn('finished_at', bigint)
      .addColumn('lease_owner', text)
      .addColumn('lease_expires_at', bigint)
      .addColumn('progress_done', bigint, (c) => c.notNull())
      .addColumn('progress_total', bigint, (c) => c.notNull())
      .addColumn('progress_message', text)
      .addColumn('result', text)
      .addColumn('error', text)
      .addColumn('cancel_requested', bigint, (c) => c.notNull())
      .execute()
    // Claiming reads the oldest queued job of some kinds, and running jobs by lease expiry.
    await db.schema
      .createIndex('jobs_status_created')
      .on('jobs')
      .columns(['status', 'created_at'])
      .execute()
    await db.schema.createIndex('jobs_created').on('jobs').column('created_at').execute()

    await ctx
      .storedByPrimaryKey(
        db.schema
          .createTable('job_logs')
          .addColumn('job_id', text, (c) => c.notNull())
          .addColumn('seq', bigint, (c) => c.notNull())
          .addColumn('time', bigint, (c) => c.notNull())
          .addColumn('level', text, (c) => c.notNull())
          .addColumn('message', text, (c) => c.notNull())
          .addPrimaryKeyConstraint('job_logs_pk', ['job_id', 'seq']),
      )
      .execute()

    await db.schema
      .createTable('workers')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('hostname', text, (c) => c.notNull())
      .addColumn('pid', bigint, (c) => c.notNull())
      .addColumn('kinds', text, (c) => c.notNull())
      .addColumn('started_at', bigint, (c) => c.notNull())
      .addColumn('heartbeat_at', bigint, (c) => c.notNull())
      .execute()
  }
}
