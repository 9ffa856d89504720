import type { Generated } from 'kysely'

/** Monitors: their windows, events, webhooks and the delivery outbox. */

/** A monitor on a deployment: how it windows the prediction log, its reference, and its cursor. */
export interface MonitorsTable {
  name: string
  deployment: string
  /** predictions | time */
  every_kind: string
  every_value: number
  /** `training` or `DATASET@VERSION`. */
  reference: string
  /** Tests, thresholds and the detector (JSON). */
  options: string
  cursor_time: number
  cursor_request_id: string | null
  windows: number
  detector_state: string | null
  created_by: string
  created_at: number
  updated_at: number
}

/** One evaluated window of a monitor: headline figures as columns, everything as JSON. */
export interface MonitorResultsTable {
  monitor: string
  window: number
  start_time: number
  end_time: number
  computed_at: number
  rows: number
  labeled: number
  drift_share: number | null
  dataset_drift: number | null
  prediction_drift_score: number | null
  prediction_drift: number | null
  quality_failures: number | null
  accuracy: number | null
  roc_auc: number | null
  f1: number | null
  rmse: number | null
  mae: number | null
  estimated_accuracy: number | null
  estimated_roc_auc: number | null
  result: string
}

/** Something a window found: drift_detected, data_quality_failed or performance_degraded. */
export interface MonitorEventsTable {
  id: Generated<number>
  monitor: string
  deployment: string
  type: string
  window: number
  time: number
  payload: string
}

/** Where a monitor's events are posted, and the key their deliveries are signed with. */
export interface MonitorWebhooksTable {
  id: string
  monitor: string
  url: string
  secret: string
  created_by: string
  created_at: number
}

/** The outbox: one row per event per webhook until it is delivered or given up. */
export interface WebhookDeliveriesTable {
  id: Generated<number>
  event_id: number
  webhook_id: string
  body: string
  /** pending | delivered | failed */
  status: string
  attempts: number
  next_attempt_at: number
  lease_until: number | null
  last_error: string | null
  last_status: number | null
  delivered_at: number | null
  created_at: number
}
