import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/** Buckets of the latency histogram (see serving/data-plane/latency-histogram.ts). */
const LATENCY_BUCKETS = 14

/**
 * What each deployment's model versions did, a row per minute, and the canary rollouts that
 * watch those figures. Every server adds its counters to the row of the minute (an upsert), so
 * replicas need no coordination. A rollout row outlives the process that watches it: a step
 * retried after a crash picks the watch up from it.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, double, text } = ctx.types

    let stats = db.schema
      .createTable('serving_stats')
      .addColumn('deployment', text, (c) => c.notNull())
      .addColumn('model', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      // Epoch milliseconds of the minute's start.
      .addColumn('minute', bigint, (c) => c.notNull())
      .addColumn('requests', bigint, (c) => c.notNull())
      // Server errors and timeouts; bad input (4xx) is not the model's error.
      .addColumn('errors', bigint, (c) => c.notNull())
      // Records answered (a request may carry many).
      .addColumn('predictions', bigint, (c) => c.notNull())
      // The process's CPU time, shared among versions by their share of its requests.
      .addColumn('cpu_ms', double, (c) => c.notNull())
    // Requests per latency bucket, in the order of the bucket bounds.
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      stats = stats.addColumn(`latency_${i}`, bigint, (c) => c.notNull())
    }
    await stats
      .addPrimaryKeyConstraint('serving_stats_pk', ['deployment', 'model', 'version', 'minute'])
      .execute()

    await db.schema
      .createTable('rollouts')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('deployment', text, (c) => c.notNull())
      .addColumn('model', text, (c) => c.notNull())
      .addColumn('version', bigint, (c) => c.notNull())
      // The primary when the rollout started; null when it created the deployment.
      .addColumn('from_version', bigint)
      // The canary's share; null for a direct deployment.
      .addColumn('percent', double)
      // watching | promoted | rolled_back | deployed | failed
      .addColumn('status', text, (c) => c.notNull())
      // The alias to move after a promotion, and the version it pointed at when the rollout began.
      .addColumn('alias', text)
      .addColumn('alias_version', bigint)
      .addColumn('started_at', bigint, (c) => c.notNull())
      .addColumn('finished_at', bigint)
      // JSON: the measured figures and the reasons of the decision.
      .addColumn('figures', text, (c) => c.notNull())
      .addColumn('reasons', text, (c) => c.notNull())
      .addColumn('pipeline_run', text)
      .addColumn('step', text)
      .addColumn('created_by', text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('rollouts_deployment_started')
      .on('rollouts')
      .columns(['deployment', 'started_at'])
      .execute()
  }
}
