import type { FeedbackLabel } from '../../serving/index.js'
import { argmaxRows } from '../../training/index.js'
import {
  type ColumnDriftResult,
  type DataDriftResult,
  computeDataDrift,
  computeDataDriftWithDistributions,
} from '../drift/data-drift.js'
import type { DriftTable, DriftTableColumn } from '../drift/drift-table.js'
import { checkDataQuality } from '../quality/index.js'
import { type Calibration, MIN_HOLDOUT_ROWS } from './calibration.js'
import type {
  Monitor,
  MonitorEventType,
  MonitorWindowResult,
  PerformanceResult,
} from './monitor-types.js'
import type { WindowRows } from './prediction-window.js'
import { type ReferenceData, labelValues } from './reference-data.js'
import { type WindowOutputs, featureColumns, outputColumns } from './window-columns.js'
import { type StoredDetector, windowPerformance } from './window-performance.js'

export interface WindowEvaluation {
  result: MonitorWindowResult
  /** Per-column distributions of the feature drift, for the report. */
  drift: DataDriftResult | null
  detector: StoredDetector | null
  events: { type: MonitorEventType; payload: Record<string, unknown> }[]
}

export interface EvaluateWindowInput {
  monitor: Monitor
  window: WindowRows
  /** Null for an empty window (nothing to compare). */
  reference: ReferenceData | null
  calibration: Calibration
  labels: ReadonlyMap<string, FeedbackLabel>
  detector: StoredDetector | null
  computedAt: number
}

/** A column has something to test on both sides. */
function hasValues(column: DriftTableColumn): boolean {
  const { values } = column
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return true
    return false
  }
  return values.some((v) => v !== null)
}

/** The version that answered most rows (ties: the newer); NaN for an empty window. */
function mainVersion(versions: Float64Array): number {
  const counts = new Map<number, number>()
  for (const v of versions) if (Number.isFinite(v)) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best = Number.NaN
  let most = 0
  for (const [v, c] of counts) if (c > most || (c === most && v > best)) [best, most] = [v, c]
  return best
}

/** What prediction drift compares: the positive class's probability, the class, or the value. */
function predictionColumn(outputs: WindowOutputs, reference: ReferenceData): DriftTableColumn {
  const K = reference.classes?.length ?? 0
  if (K === 2 && outputs.probabilities !== null) {
    const n = outputs.predictions.length
    return {
      name: 'prediction',
      type: 'num',
      values: Float64Array.from({ length: n }, (_, i) => outputs.probabilities![i * 2 + 1]!),
    }
  }
  if (K > 0) {
    return {
      name: 'prediction',
      type: 'cat',
      values: outputs.predictions.map((p) => (p === null ? null : String(p))),
    }
  }
  return {
    name: 'prediction',
    type: 'num',
    values: Float64Array.from(outputs.predictions, (p) => (typeof p === 'number' ? p : Number.NaN)),
  }
}

/**
 * The model's answers prediction drift compares with: on its held-out test rows when the training
 * run kept them (answers on the rows it was fitted on are surer than on any new data, and would
 * read as drift), else on the sampled reference rows.
 */
function referenceAnswers(reference: ReferenceData): WindowOutputs {
  const { holdout, classes } = reference
  if (holdout === null || classes === null || holdout.labels.length < MIN_HOLDOUT_ROWS) {
    return reference.scored
  }
  const K = classes.length
  const best = argmaxRows(holdout.probabilities, K)
  return {
    predictions: Array.from(best, (k) => String(classes[k])),
    probabilities: holdout.probabilities,
  }
}

function emptyResult(input: EvaluateWindowInput, windowNumber: number): MonitorWindowResult {
  const { monitor, window } = input
  return {
    monitor: monitor.name,
    deployment: monitor.deployment,
    window: windowNumber,
    start: window.start,
    end: window.end,
    computedAt: input.computedAt,
    rows: 0,
    labeled: 0,
    modelVersions: [],
    reference: null,
    drift: null,
    predictionDrift: null,
    quality: null,
    performance: null,
    events: [],
  }
}

/**
 * One window against the reference: feature drift, prediction drift, data quality, performance,
 * and the events they raise. Pure: the caller reads the window and records the outcome.
 */
export function evaluateWindow(input: EvaluateWindowInput): WindowEvaluation {
  const { monitor, window, reference } = input
  const windowNumber = monitor.windows + 1
  if (window.requestIds.length === 0 || reference === null) {
    return {
      result: emptyResult(input, windowNumber),
      drift: null,
      detector: input.detector,
      events: [],
    }
  }
  const { options } = monitor
  const watched =
    options.columns === undefined
      ? reference.features
      : reference.features.filter((f) => options.columns!.includes(f.name))
  const { table, schemaViolations } = featureColumns(window.inputs, watched)
  const refTable: DriftTable = reference.table.filter((c) => watched.some((f) => f.name === c.name))

  const testable = table
    .filter((c, i) => hasValues(c) && hasValues(refTable[i]!))
    .map((c) => c.name)
  const drift =
    testable.length === 0
      ? null
      : computeDataDriftWithDistributions(refTable, table, {
          columns: testable,
          driftShare: options.driftShare,
          ...(options.stattest === undefined ? {} : { stattest: options.stattest }),
          ...(options.numStattest === undefined ? {} : { numStattest: options.numStattest }),
          ...(options.catStattest === undefined ? {} : { catStattest: options.catStattest }),
          ...(options.perColumnStattest === undefined
            ? {}
            : { perColumnStattest: options.perColumnStattest }),
          ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
        })

  const outputs = outputColumns(window.outputs, reference.classes)
  const current = predictionColumn(outputs, reference)
  const referencePrediction = predictionColumn(referenceAnswers(reference), reference)
  let predictionDrift: ColumnDriftResult | null = null
  if (hasValues(current) && hasValues(referencePrediction)) {
    const report = computeDataDrift([referencePrediction], [current], {
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    })
    predictionDrift = report.drift_by_columns.prediction ?? null
  }

  const quality = checkDataQuality({
    reference: refTable,
    current: table,
    expected: watched,
    schemaViolations,
    thresholds: options.quality,
  })

  const labelTexts = window.requestIds.map((id) => input.labels.get(id)?.label ?? null)
  const labels = labelValues(labelTexts, reference.classes)
  const version = mainVersion(window.versions)
  const performance = windowPerformance({
    reference,
    calibration: input.calibration,
    outputs,
    labels,
    version,
    options,
    detector: input.detector,
  })

  const events: WindowEvaluation['events'] = []
  const report = drift?.report ?? null
  if (report?.dataset_drift === true || predictionDrift?.drift_detected === true) {
    events.push({
      type: 'drift_detected',
      payload: {
        dataset_drift: report?.dataset_drift ?? false,
        share_of_drifted_columns: report?.share_of_drifted_columns ?? null,
        drift_share: report?.drift_share ?? options.driftShare,
        drifted_columns: Object.values(report?.drift_by_columns ?? {})
          .filter((c) => c.drift_detected)
          .map((c) => ({ column: c.column_name, stattest: c.stattest_name, score: c.drift_score })),
        prediction_drift: predictionDrift,
      },
    })
  }
  if (quality.failed > 0) {
    events.push({
      type: 'data_quality_failed',
      payload: { failed: quality.checks.filter((c) => c.failed) },
    })
  }
  if (performance.result.degraded) {
    const p: PerformanceResult = performance.result
    events.push({
      type: 'performance_degraded',
      payload: {
        reasons: p.reasons,
        realized: p.realized,
        estimated: p.estimated,
        reference: p.reference,
        labeled: p.labeled,
      },
    })
  }

  const versions = [...new Set(Array.from(window.versions).filter(Number.isFinite))].sort(
    (a, b) => a - b,
  )
  return {
    result: {
      monitor: monitor.name,
      deployment: monitor.deployment,
      window: windowNumber,
      start: window.start,
      end: window.end,
      computedAt: input.computedAt,
      rows: window.requestIds.length,
      labeled: performance.result.labeled,
      modelVersions: versions,
      reference: {
        model: reference.model,
        version: reference.version,
        dataset: reference.dataset,
        datasetVersion: reference.datasetVersion,
        rows: reference.rows,
      },
      drift: report,
      predictionDrift,
      quality,
      performance: performance.result,
      events: events.map((e) => e.type),
    },
    drift,
    detector: performance.detector,
    events,
  }
}
