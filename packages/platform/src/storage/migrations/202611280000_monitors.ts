import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Monitors on deployments: their definitions and cursors, one result row per evaluated window,
 * the events windows raise, the webhooks that hear of them, and the outbox of webhook deliveries.
 * A window's result, its events, their deliveries and the monitor's advanced cursor are written in
 * one transaction, so a crash never leaves a window half-recorded or an event without its
 * deliveries.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, double, smallint, text } = ctx.types

    await db.schema
      .createTable('monitors')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('deployment', text, (c) => c.notNull())
      // `predictions` (a window per `every_value` predictions) or `time` (per `every_value` ms).
      .addColumn('every_kind', text, (c) => c.notNull())
      .addColumn('every_value', bigint, (c) => c.notNull())
      // `training` (the served version's training data, through lineage) or `DATASET@VERSION`.
      .addColumn('reference', text, (c) => c.notNull())
      // Tests, thresholds and the detector, as JSON.
      .addColumn('options', text, (c) => c.notNull())
      // Where the next window starts: epoch ms, and for prediction windows the last request id
      // taken at that time (rows are ordered by time, then request id).
      .addColumn('cursor_time', bigint, (c) => c.notNull())
      .addColumn('cursor_request_id', text)
      // Windows evaluated so far; the next window's number is windows + 1.
      .addColumn('windows', bigint, (c) => c.notNull())
      // The error-stream detector between windows, as JSON; null before the first label.
      .addColumn('detector_state', text)
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('monitor_results')
      .addColumn('monitor', text, (c) => c.notNull())
      .addColumn('window', bigint, (c) => c.notNull())
      .addColumn('start_time', bigint, (c) => c.notNull())
      .addColumn('end_time', bigint, (c) => c.notNull())
      .addColumn('computed_at', bigint, (c) => c.notNull())
      .addColumn('rows', bigint, (c) => c.notNull())
      .addColumn('labeled', bigint, (c) => c.notNull())
      // The headline figures, as columns for time series; null when not computed.
      .addColumn('drift_share', double)
      .addColumn('dataset_drift', smallint)
      .addColumn('prediction_drift_score', double)
      .addColumn('prediction_drift', smallint)
      .addColumn('quality_failures', bigint)
      .addColumn('accuracy', double)
      .addColumn('roc_auc', double)
      .addColumn('f1', double)
      .addColumn('rmse', double)
      .addColumn('mae', double)
      .addColumn('estimated_accuracy', double)
      .addColumn('estimated_roc_auc', double)
      // Everything the window computed, as JSON.
      .addColumn('result', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('monitor_results_pk', ['monitor', 'window'])
      .execute()

    await db.schema
      .createTable('monitor_events')
      .addColumn('id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('monitor', text, (c) => c.notNull())
      .addColumn('deployment', text, (c) => c.notNull())
      // drift_detected | data_quality_failed | performance_degraded
      .addColumn('type', text, (c) => c.notNull())
      .addColumn('window', bigint, (c) => c.notNull())
      .addColumn('time', bigint, (c) => c.notNull())
      .addColumn('payload', text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('monitor_events_monitor')
      .on('monitor_events')
      .columns(['monitor', 'id'])
      .execute()
    await db.schema
      .createIndex('monitor_events_deployment')
      .on('monitor_events')
      .columns(['deployment', 'id'])
      .execute()

    await db.schema
      .createTable('monitor_webhooks')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('monitor', text, (c) => c.notNull())
      .addColumn('url', text, (c) => c.notNull())
      // The HMAC-SHA256 key deliveries are signed with (the receiver holds the same key).
      .addColumn('secret', text, (c) => c.notNull())
      .addColumn('created_by', text, (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('monitor_webhooks_monitor')
      .on('monitor_webhooks')
      .columns(['monitor'])
      .execute()

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('event_id', bigint, (c) => c.notNull())
      .addColumn('webhook_id', text, (c) => c.notNull())
      // The request body, fixed when the event is recorded: every attempt sends the same bytes.
      .addColumn('body', text, (c) => c.notNull())
      // pending | delivered | failed (attempts exhausted, or the URL refused)
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('attempts', bigint, (c) => c.notNull())
      .addColumn('next_attempt_at', bigint, (c) => c.notNull())
      // A dispatcher holds the delivery until then while it sends it.
      .addColumn('lease_until', bigint)
      .addColumn('last_error', text)
      .addColumn('last_status', bigint)
      .addColumn('delivered_at', bigint)
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute()
  }
}
