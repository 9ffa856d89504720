import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * The prediction log's index and the labels that arrive later. Logged predictions themselves are
 * Parquet segments in the artifact store (one per deployment per flush); this table says which
 * blob holds which deployment's rows for which time range, so a query opens only the segments it
 * needs. Feedback keeps one label per (deployment, request id): a later label replaces an earlier.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types

    await db.schema
      .createTable('prediction_segments')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('deployment', text, (c) => c.notNull())
      // Epoch milliseconds of the earliest and latest request in the segment.
      .addColumn('min_time', bigint, (c) => c.notNull())
      .addColumn('max_time', bigint, (c) => c.notNull())
      .addColumn('rows', bigint, (c) => c.notNull())
      .addColumn('blob_digest', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute()
    // Queries select one deployment's segments that overlap a time range.
    await db.schema
      .createIndex('prediction_segments_deployment_time')
      .on('prediction_segments')
      .columns(['deployment', 'min_time'])
      .execute()

    await db.schema
      .createTable('prediction_feedback')
      .addColumn('deployment', text, (c) => c.notNull())
      .addColumn('request_id', text, (c) => c.notNull())
      .addColumn('label', text, (c) => c.notNull())
      // Epoch milliseconds when the label was recorded.
      .addColumn('time', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('prediction_feedback_pk', ['deployment', 'request_id'])
      .execute()
  }
}
