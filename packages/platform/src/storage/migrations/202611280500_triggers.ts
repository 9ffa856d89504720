import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'

/**
 * Pipeline triggers: a cursor per pipeline and trigger (what the trigger has already seen), a
 * gate per pipeline (its last triggered start and the day's count, for debounce and the daily
 * cap) and the log of every firing with what came of it. Servers claim a firing by moving a
 * cursor with compare-and-set, so two servers checking at once never start two runs for it.
 */
export function up(ctx: MigrationContext) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const { bigint, text } = ctx.types
    await db.schema
      .createTable('trigger_cursors')
      .addColumn('pipeline', text, (c) => c.notNull())
      .addColumn('trigger_index', bigint, (c) => c.notNull())
      // The trigger as registered (canonical JSON): a different trigger at the index starts over.
      .addColumn('spec', text, (c) => c.notNull())
      // Last schedule time (epoch ms), dataset version or monitor event id seen.
      .addColumn('position', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('trigger_cursors_pk', ['pipeline', 'trigger_index'])
      .execute()

    await db.schema
      .createTable('trigger_gates')
      .addColumn('pipeline', text, (c) => c.primaryKey())
      // When the last triggered run started (epoch ms; 0 before the first) and its id.
      .addColumn('last_started_at', bigint, (c) => c.notNull())
      .addColumn('last_run_id', text)
      // The UTC day (days since the epoch) `day_runs` counts triggered runs of.
      .addColumn('day', bigint, (c) => c.notNull())
      .addColumn('day_runs', bigint, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('trigger_firings')
      .addColumn('id', bigint, (c) => ctx.autoIncrementPrimaryKey(c))
      .addColumn('time', bigint, (c) => c.notNull())
      .addColumn('pipeline', text, (c) => c.notNull())
      .addColumn('trigger_index', bigint, (c) => c.notNull())
      // schedule | dataset | event
      .addColumn('kind', text, (c) => c.notNull())
      // `0 * * * *`, `loans@2`, `drift_detected #12 (monitor loans)`.
      .addColumn('reason', text, (c) => c.notNull())
      // JSON: the values the run reads as `${{ trigger.KEY }}`.
      .addColumn('trigger_values', text, (c) => c.notNull())
      // started | merged | capped | failed
      .addColumn('outcome', text, (c) => c.notNull())
      // The run started, or the run merged into.
      .addColumn('run_id', text)
      .addColumn('error', text)
      .execute()
    await db.schema
      .createIndex('trigger_firings_pipeline')
      .on('trigger_firings')
      .columns(['pipeline', 'id'])
      .execute()
  }
}
