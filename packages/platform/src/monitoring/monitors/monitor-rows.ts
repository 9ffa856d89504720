import type { Insertable, Selectable } from 'kysely'
import type { MonitorEventsTable, MonitorResultsTable, MonitorsTable } from '../../storage/index.js'
import type { ColumnDistribution } from '../drift/column-distribution.js'
import type { DataDriftResult } from '../drift/data-drift.js'
import type {
  Monitor,
  MonitorEvent,
  MonitorEventType,
  MonitorEvery,
  MonitorReference,
  MonitorWindowResult,
} from './monitor-types.js'

export function referenceText(reference: MonitorReference): string {
  return reference.kind === 'training' ? 'training' : `${reference.dataset}@${reference.version}`
}

export function monitorFromRow(row: Selectable<MonitorsTable>): Monitor {
  const every: MonitorEvery =
    row.every_kind === 'time'
      ? { kind: 'time', ms: Number(row.every_value) }
      : { kind: 'predictions', count: Number(row.every_value) }
  const at = row.reference.lastIndexOf('@')
  const reference: MonitorReference =
    row.reference === 'training'
      ? { kind: 'training' }
      : {
          kind: 'dataset',
          dataset: row.reference.slice(0, at),
          version: Number(row.reference.slice(at + 1)),
        }
  return {
    name: row.name,
    deployment: row.deployment,
    every,
    reference,
    options: JSON.parse(row.options) as Monitor['options'],
    cursor: { time: Number(row.cursor_time), requestId: row.cursor_request_id },
    windows: Number(row.windows),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

export function monitorToRow(
  monitor: Monitor,
  detectorState: string | null,
): Insertable<MonitorsTable> {
  return {
    name: monitor.name,
    deployment: monitor.deployment,
    every_kind: monitor.every.kind,
    every_value: monitor.every.kind === 'time' ? monitor.every.ms : monitor.every.count,
    reference: referenceText(monitor.reference),
    options: JSON.stringify(monitor.options),
    cursor_time: monitor.cursor.time,
    cursor_request_id: monitor.cursor.requestId,
    windows: monitor.windows,
    detector_state: detectorState,
    created_by: monitor.createdBy,
    created_at: monitor.createdAt,
    updated_at: monitor.updatedAt,
  }
}

const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0)
const num = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? null : value

/** The stored JSON: the result, plus the drift's per-column distributions for reports. */
interface StoredResult extends MonitorWindowResult {
  distributions?: Record<string, ColumnDistribution>
}

export function resultToRow(
  result: MonitorWindowResult,
  distributions: Record<string, ColumnDistribution> | null = null,
): Insertable<MonitorResultsTable> {
  const realized = result.performance?.realized ?? null
  const estimated = result.performance?.estimated ?? null
  return {
    monitor: result.monitor,
    window: result.window,
    start_time: result.start,
    end_time: result.end,
    computed_at: result.computedAt,
    rows: result.rows,
    labeled: result.labeled,
    drift_share: num(result.drift?.share_of_drifted_columns),
    dataset_drift: flag(result.drift?.dataset_drift),
    prediction_drift_score: num(result.predictionDrift?.drift_score),
    prediction_drift: flag(result.predictionDrift?.drift_detected),
    quality_failures: result.quality?.failed ?? null,
    accuracy: num(realized?.accuracy),
    roc_auc: num(realized?.roc_auc),
    f1: num(realized?.f1),
    rmse: num(realized?.rmse),
    mae: num(realized?.mae),
    estimated_accuracy: num(estimated?.accuracy),
    estimated_roc_auc: num(estimated?.roc_auc),
    result: JSON.stringify(distributions === null ? result : { ...result, distributions }),
  }
}

export function resultFromRow(row: Selectable<MonitorResultsTable>): MonitorWindowResult {
  const { distributions: _, ...result } = JSON.parse(row.result) as StoredResult
  return result
}

/** The window's feature drift with its distributions; null when the window had none. */
export function driftFromRow(row: Selectable<MonitorResultsTable>): DataDriftResult | null {
  const stored = JSON.parse(row.result) as StoredResult
  if (stored.drift === null) return null
  return { report: stored.drift, distributions: stored.distributions ?? {} }
}

export function eventFromRow(row: Selectable<MonitorEventsTable>): MonitorEvent {
  return {
    id: Number(row.id),
    monitor: row.monitor,
    deployment: row.deployment,
    type: row.type as MonitorEventType,
    window: Number(row.window),
    time: Number(row.time),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }
}
