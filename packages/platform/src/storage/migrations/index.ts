import type { Kysely } from 'kysely'
import type { MigrationContext } from '../migration-context.js'
import * as m202611260000 from './202611260000_tracking.js'
import * as m202611260200 from './202611260200_datasets.js'
import * as m202611260300 from './202611260300_registry.js'
import * as m202611270000 from './202611270000_jobs.js'
import * as m202611270100 from './202611270100_model_details.js'
import * as m202611270200 from './202611270200_deployments.js'
import * as m202611270300 from './202611270300_predictions.js'
import * as m202611280000 from './202611280000_monitors.js'
import * as m202611280100 from './202611280100_audit.js'
import * as m202611280500 from './202611280500_triggers.js'
import * as m202611280200 from './202611280200_pipelines.js'
import * as m202611280300 from './202611280300_decisions.js'
import * as m202611280400 from './202611280400_serving_stats.js'

interface MigrationModule {
  up(ctx: MigrationContext): (db: Kysely<unknown>) => Promise<void>
}

/** Every migration, in order. A released migration is never edited: add a new file. */
export const MIGRATIONS: Record<string, MigrationModule> = {
  '202611260000_tracking': m202611260000,
  '202611260200_datasets': m202611260200,
  '202611260300_registry': m202611260300,
  '202611270000_jobs': m202611270000,
  '202611270100_model_details': m202611270100,
  '202611270200_deployments': m202611270200,
  '202611270300_predictions': m202611270300,
  '202611280000_monitors': m202611280000,
  '202611280100_audit': m202611280100,
  '202611280500_triggers': m202611280500,
  '202611280200_pipelines': m202611280200,
  '202611280300_decisions': m202611280300,
  '202611280400_serving_stats': m202611280400,
}
