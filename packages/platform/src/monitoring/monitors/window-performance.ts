import { argmaxRows, evaluate } from '../../training/index.js'
import { detect } from '../detectors/index.js'
import { createDetector, restoreDetector } from '../detectors/index.js'
import {
  estimateBinaryPerformance,
  estimateMulticlassAccuracy,
  estimateMulticlassRocAuc,
} from '../performance/index.js'
import { type Calibration, calibrationRows } from './calibration.js'
import type { MetricValues, MonitorOptions, PerformanceResult } from './monitor-types.js'
import type { ReferenceData } from './reference-data.js'
import type { WindowOutputs } from './window-columns.js'

/** The detector between windows: its state, and the model version whose errors it has seen. */
export interface StoredDetector {
  version: number
  state: unknown
}

export interface PerformanceInput {
  reference: ReferenceData
  calibration: Calibration
  outputs: WindowOutputs
  /** Per window row: class index or value; NaN when no label has arrived. */
  labels: Float64Array
  /** The model version that answered most of the window: the detector follows it. */
  version: number
  options: MonitorOptions
  detector: StoredDetector | null
}

const HEADLINE = {
  binary: { metric: 'roc_auc', maximize: true },
  multiclass: { metric: 'accuracy', maximize: true },
  regression: { metric: 'rmse', maximize: false },
} as const

const round = (x: number) => Number(x.toFixed(4))

/** Realized metrics of the rows in `rows` (labelled, with an answer). */
function realizedMetrics(
  task: PerformanceResult['task'],
  K: number,
  outputs: WindowOutputs,
  labels: Float64Array,
  rows: readonly number[],
): MetricValues {
  const label = Float64Array.from(rows, (i) => labels[i]!)
  if (task === 'regression') {
    const predicted = Float64Array.from(rows, (i) => Number(outputs.predictions[i]))
    const { metrics } = evaluate('regression', label, predicted, 0)
    return { rmse: metrics.rmse!, mae: metrics.mae! }
  }
  const probs = outputs.probabilities!
  const predicted = new Float64Array(rows.length * K)
  rows.forEach((i, j) => predicted.set(probs.subarray(i * K, (i + 1) * K), j * K))
  const { metrics } = evaluate('classification', label, predicted, K)
  const out: MetricValues = { accuracy: metrics.accuracy!, f1: metrics.f1! }
  if (metrics.roc_auc !== undefined && Number.isFinite(metrics.roc_auc))
    out.roc_auc = metrics.roc_auc
  return out
}

/** CBPE on calibrated probabilities of the rows in `rows`. */
function estimatedMetrics(
  task: PerformanceResult['task'],
  K: number,
  calibrated: Float64Array,
  rows: readonly number[],
): MetricValues {
  if (rows.length === 0) return {}
  if (task === 'binary') {
    const p1 = Float64Array.from(rows, (i) => calibrated[i * 2 + 1]!)
    const e = estimateBinaryPerformance(p1)
    return finite({ accuracy: e.accuracy, roc_auc: e.roc_auc, f1: e.f1 })
  }
  const probs = new Float64Array(rows.length * K)
  rows.forEach((i, j) => probs.set(calibrated.subarray(i * K, (i + 1) * K), j * K))
  return finite({
    accuracy: estimateMulticlassAccuracy(probs, K),
    roc_auc: estimateMulticlassRocAuc(probs, K),
  })
}

function finite(values: MetricValues): MetricValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)))
}

/** Rows whose answer can be scored: classifiers need every probability, regressors a number. */
function answeredRows(outputs: WindowOutputs, K: number): number[] {
  const rows: number[] = []
  const n = outputs.predictions.length
  for (let i = 0; i < n; i++) {
    if (K > 0) {
      let ok = true
      for (let k = 0; k < K; k++)
        if (!Number.isFinite(outputs.probabilities![i * K + k]!)) ok = false
      if (ok) rows.push(i)
    } else if (Number.isFinite(Number(outputs.predictions[i]))) rows.push(i)
  }
  return rows
}

/** Each labelled row's error: 0/1 for classifiers (by the argmax class), |error| for regressors. */
function errorsOf(
  outputs: WindowOutputs,
  labels: Float64Array,
  rows: readonly number[],
  K: number,
) {
  if (K === 0)
    return Float64Array.from(rows, (i) => Math.abs(Number(outputs.predictions[i]) - labels[i]!))
  const probs = new Float64Array(rows.length * K)
  rows.forEach((i, j) => probs.set(outputs.probabilities!.subarray(i * K, (i + 1) * K), j * K))
  const predicted = argmaxRows(probs, K)
  return Float64Array.from(rows, (i, j) => (predicted[j] === labels[i] ? 0 : 1))
}

const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)

/**
 * A window's performance: realized metrics where labels have arrived, a label-free estimate for
 * classifiers, the error-stream detector carried over from the window before, and whether the
 * model has degraded, with the reasons.
 */
export function windowPerformance(input: PerformanceInput): {
  result: PerformanceResult
  detector: StoredDetector | null
} {
  const { reference, outputs, labels, options } = input
  const task = reference.task
  const K = reference.classes?.length ?? 0
  const headline = HEADLINE[task]
  const answered = answeredRows(outputs, K)
  const labelled = answered.filter((i) => !Number.isNaN(labels[i]!))
  const reasons: string[] = []

  // What the window is measured against: the model's own test metrics; metrics it lacks are
  // computed on the scored reference rows.
  const refAnswered = answeredRows(reference.scored, K).filter(
    (i) => !Number.isNaN(reference.labels[i]!),
  )
  const onReference =
    refAnswered.length > 0
      ? realizedMetrics(task, K, reference.scored, reference.labels, refAnswered)
      : {}
  const referenceMetrics: MetricValues = { ...onReference, ...reference.testMetrics }

  const realized =
    labelled.length >= options.minLabeled
      ? realizedMetrics(task, K, outputs, labels, labelled)
      : null
  let estimated: MetricValues | null = null
  if (K > 0 && outputs.probabilities !== null) {
    estimated = estimatedMetrics(task, K, input.calibration(outputs.probabilities, K), answered)
    const { probabilities: baseline, name: baselineName } = calibrationRows(reference)
    const baselineOutputs = {
      predictions: new Array<null>(baseline === null ? 0 : baseline.length / K).fill(null),
      probabilities: baseline,
    }
    const refEstimate =
      baseline === null
        ? {}
        : estimatedMetrics(
            task,
            K,
            input.calibration(baseline, K),
            answeredRows(baselineOutputs, K),
          )
    const e = estimated[headline.metric]
    const r = refEstimate[headline.metric]
    if (
      realized === null &&
      e !== undefined &&
      r !== undefined &&
      e < r - options.performanceTolerance
    ) {
      reasons.push(
        `estimated ${headline.metric} ${round(e)} is below its estimate on ${baselineName} ${round(r)} by more than ${options.performanceTolerance}`,
      )
    }
  }
  const ref = referenceMetrics[headline.metric]
  const got = realized?.[headline.metric]
  if (ref !== undefined && got !== undefined) {
    if (headline.maximize && got < ref - options.performanceTolerance) {
      reasons.push(
        `${headline.metric} ${round(got)} on ${labelled.length} labelled predictions is below the model's test ${headline.metric} ${round(ref)} by more than ${options.performanceTolerance}`,
      )
    } else if (!headline.maximize && got > ref * (1 + options.performanceTolerance)) {
      reasons.push(
        `${headline.metric} ${round(got)} on ${labelled.length} labelled predictions is more than ${options.performanceTolerance * 100}% above the model's test ${headline.metric} ${round(ref)}`,
      )
    }
  }

  // The detector carries over between windows while the same version answers.
  let detectorResult: PerformanceResult['detector'] = null
  let stored = input.detector
  if (labelled.length > 0) {
    const detector =
      stored !== null && stored.version === input.version
        ? restoreDetector(stored.state)
        : createDetector(options.detector)
    const errors = errorsOf(outputs, labels, labelled, K)
    const found = detect(detector, errors)
    detectorResult = { name: options.detector, values: errors.length, ...found }
    stored = { version: input.version, state: detector.toState() }
    const refErrors = errorsOf(reference.scored, reference.labels, refAnswered, K)
    if (found.drifts.length > 0 && mean(errors) > mean(refErrors)) {
      reasons.push(
        `${detector.name} detected a change in the error stream (after labelled prediction ${found.drifts[0]! + 1} of ${errors.length}); mean error ${round(mean(errors))} against ${round(mean(refErrors))} on the reference`,
      )
    }
  }

  return {
    result: {
      task,
      labeled: labelled.length,
      realized,
      estimated,
      reference: referenceMetrics,
      headline,
      detector: detectorResult,
      degraded: reasons.length > 0,
      reasons,
    },
    detector: stored,
  }
}
