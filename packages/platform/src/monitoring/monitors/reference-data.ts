import { InvalidParameterError } from '@ballast/contracts'
import type { DataService, DatasetColumn } from '../../data/index.js'
import type { RegistryService } from '../../registry/index.js'
import type { LoadedModel } from '../../serving/index.js'
import type { DriftTable } from '../drift/drift-table.js'
import type { MetricValues, MonitorReference, PerformanceResult } from './monitor-types.js'
import { type ReferenceHoldout, type RunArtifactReader, loadHoldout } from './reference-holdout.js'
import { type FeatureSpec, type WindowOutputs, featureSpecs } from './window-columns.js'

/** Most reference rows the model scores for prediction drift and calibration (an even sample). */
export const MAX_SCORED_REFERENCE_ROWS = 100_000
const SCORE_BATCH = 5_000

/** What a monitor compares a deployment's windows with, for one served model version. */
export interface ReferenceData {
  model: string
  version: number
  dataset: string
  datasetVersion: number
  /** Rows of the reference data set. */
  rows: number
  task: PerformanceResult['task']
  classes: (string | number)[] | null
  features: FeatureSpec[]
  /** The features, every reference row. */
  table: DriftTable
  /** The model's answers on an even sample of the reference rows. */
  scored: WindowOutputs
  /** The true label of each scored row: class index or value; NaN when unknown. */
  labels: Float64Array
  /** The model's test metrics from its lineage (`test_*`). */
  testMetrics: MetricValues
  /** Classifiers trained by Ballast: the training run's held-out rows, scored. */
  holdout: ReferenceHoldout | null
}

export interface ReferenceDependencies {
  registry: RegistryService
  data: DataService
  loadModel(name: string, version: number): Promise<LoadedModel>
  /** Reads a run's artifact (for the holdout scores a training run keeps). */
  readRunArtifact?: RunArtifactReader
}

const BALLAST_TASKS: Record<string, PerformanceResult['task']> = {
  binary: 'binary',
  multiclass: 'multiclass',
  regression: 'regression',
}

function taskOf(
  task: string | null,
  classes: readonly unknown[] | null,
): PerformanceResult['task'] {
  const known = task === null ? undefined : BALLAST_TASKS[task]
  if (known !== undefined) return known
  if (classes === null || classes.length === 0) return 'regression'
  return classes.length === 2 ? 'binary' : 'multiclass'
}

function metricsOf(metrics: Record<string, number | string>): MetricValues {
  const out: MetricValues = {}
  for (const name of ['accuracy', 'roc_auc', 'f1', 'rmse', 'mae'] as const) {
    const value = metrics[`test_${name}`]
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value
  }
  return out
}

/** Rows 0, s, 2s, … so that at most `max` are taken, spread over the whole data set. */
export function evenSample(rows: number, max: number): Int32Array {
  if (rows <= max) return Int32Array.from({ length: rows }, (_, i) => i)
  const out = new Int32Array(max)
  for (let i = 0; i < max; i++) out[i] = Math.floor((i * rows) / max)
  return out
}

function cellValue(column: DatasetColumn, row: number): unknown {
  const v = column.values[row]
  if (typeof v === 'number') return Number.isNaN(v) ? null : column.type === 'boolean' ? v === 1 : v
  return v ?? null
}

/** Labels as class indices (classifiers, by the class's text) or numbers (regressors). */
export function labelValues(
  texts: readonly (string | null)[],
  classes: readonly (string | number)[] | null,
): Float64Array {
  const out = new Float64Array(texts.length).fill(Number.NaN)
  if (classes !== null && classes.length > 0) {
    const index = new Map(classes.map((c, k) => [String(c), k]))
    texts.forEach((t, i) => {
      const k = t === null ? undefined : index.get(t)
      if (k !== undefined) out[i] = k
    })
  } else {
    texts.forEach((t, i) => {
      const v = t === null || t.trim() === '' ? Number.NaN : Number(t)
      out[i] = Number.isFinite(v) ? v : Number.NaN
    })
  }
  return out
}

/**
 * The reference of one served model version: its training data set (found through the version's
 * lineage) or the data set the monitor names, with the model's answers on a sample of it.
 */
export async function loadReference(
  deps: ReferenceDependencies,
  reference: MonitorReference,
  model: string,
  version: number,
): Promise<ReferenceData> {
  const shown = await deps.registry.details.show(model, String(version))
  const { details, lineage } = shown
  if (details.signature === null) {
    throw new InvalidParameterError(
      `model ${model}/${version} has no signature: a monitor needs to know its inputs`,
    )
  }
  let dataset: { name: string; version: number }
  if (reference.kind === 'dataset') {
    dataset = { name: reference.dataset, version: reference.version }
  } else {
    const training =
      lineage.datasets.find((d) => d.context === 'training' && d.version !== null) ??
      lineage.datasets.find((d) => d.version !== null)
    if (training === undefined || training.version === null) {
      throw new InvalidParameterError(
        `model ${model}/${version} names no Ballast dataset version in its lineage; give the monitor a reference (DATASET@VERSION)`,
      )
    }
    dataset = { name: training.name, version: training.version }
  }
  const features = featureSpecs(details.signature.inputs)
  const inputNames = details.signature.inputs.map((i) => i.name)
  const versionInfo = await deps.data.getVersion(dataset.name, dataset.version)
  const present = new Set(versionInfo.schema.columns.map((c) => c.name))
  const missing = inputNames.filter((n) => !present.has(n))
  if (missing.length > 0) {
    throw new InvalidParameterError(
      `reference ${dataset.name}@${dataset.version} lacks input column(s) ${missing.join(', ')} of model ${model}/${version}`,
    )
  }
  const target = details.target !== null && present.has(details.target) ? details.target : null
  const read = await deps.data.readColumns(dataset.name, dataset.version, [
    ...inputNames,
    ...(target === null || inputNames.includes(target) ? [] : [target]),
  ])
  const byName = new Map(read.columns.map((c) => [c.name, c]))
  const table: DriftTable = features.map((f) => {
    const column = byName.get(f.name)!
    return f.type === 'cat' && column.values instanceof Float64Array
      ? {
          name: f.name,
          type: 'cat',
          values: Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v))),
        }
      : { name: f.name, type: f.type, values: column.values }
  })

  const classes = details.classes
  const task = taskOf(details.task, classes)
  const sample = evenSample(read.rowCount, MAX_SCORED_REFERENCE_ROWS)
  const loaded = await deps.loadModel(model, version)
  const K = classes?.length ?? 0
  const predictions = new Array<string | number | null>(sample.length)
  const probabilities = K > 0 ? new Float64Array(sample.length * K).fill(Number.NaN) : null
  const index = new Map((classes ?? []).map((c, k) => [String(c), k]))
  try {
    const inputs = inputNames.map((n) => byName.get(n)!)
    for (let start = 0; start < sample.length; start += SCORE_BATCH) {
      const end = Math.min(sample.length, start + SCORE_BATCH)
      const records: Record<string, unknown>[] = []
      for (let i = start; i < end; i++) {
        const record: Record<string, unknown> = {}
        for (const column of inputs) record[column.name] = cellValue(column, sample[i]!)
        records.push(record)
      }
      const answers = await loaded.predictRecords(records)
      answers.forEach((a, j) => {
        const i = start + j
        predictions[i] = K > 0 ? String(a.prediction) : a.prediction
        if (probabilities !== null && a.probabilities !== undefined) {
          for (const [label, p] of Object.entries(a.probabilities)) {
            const k = index.get(label)
            if (k !== undefined) probabilities[i * K + k] = p
          }
        }
      })
    }
  } finally {
    await loaded.close()
  }
  let labels: Float64Array = new Float64Array(sample.length).fill(Number.NaN)
  const targetColumn = target === null ? undefined : byName.get(target)
  if (targetColumn !== undefined) {
    const texts = Array.from(sample, (row) => {
      const v = targetColumn.values[row]
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null
      return String(v)
    })
    labels = labelValues(texts, classes)
  }
  return {
    model,
    version,
    dataset: dataset.name,
    datasetVersion: dataset.version,
    rows: read.rowCount,
    task,
    classes,
    features,
    table,
    scored: { predictions, probabilities },
    labels,
    testMetrics: metricsOf(lineage.metrics),
    holdout: await loadHoldout(deps.readRunArtifact, lineage.run_id, classes),
  }
}
