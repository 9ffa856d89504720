import { fitIsotonic } from '../performance/index.js'
import type { ReferenceData } from './reference-data.js'

/** Maps a model's probabilities (n × K, class order) to calibrated ones. */
export type Calibration = (probabilities: Float64Array, K: number) => Float64Array

const identity: Calibration = (p) => p

/** Fewer held-out rows than this, and the reference rows calibrate instead. */
export const MIN_HOLDOUT_ROWS = 100

/**
 * Isotonic calibration of the model's scores against true labels (NannyML calibrates CBPE's
 * scores the same way): the positive class's probability for binary models, one-vs-rest per class
 * for multiclass ones (then rows renormalized). Fitted on the training run's held-out rows when
 * it kept them — scores on rows the model was fitted on are too sure of themselves, and would make
 * every estimate optimistic — otherwise on the reference rows the model scored. Without labels
 * the model's own probabilities are taken as calibrated.
 */
export function fitCalibration(reference: ReferenceData): Calibration {
  const K = reference.classes?.length ?? 0
  const { probabilities, labels } = calibrationRows(reference)
  return fitOn(probabilities, labels, K)
}

/**
 * The scored rows calibration is fitted on: the held-out rows when there are enough, else the
 * reference rows. The estimate a window is compared with is made on the same rows, so that the
 * baseline is the model's honest performance rather than its performance on its own training rows.
 */
export function calibrationRows(reference: ReferenceData): {
  probabilities: Float64Array | null
  labels: Float64Array
  /** How reasons name the rows. */
  name: string
} {
  const holdout = reference.holdout
  if (holdout !== null && holdout.labels.length >= MIN_HOLDOUT_ROWS) {
    return { ...holdout, name: "the model's held-out test rows" }
  }
  return {
    probabilities: reference.scored.probabilities,
    labels: reference.labels,
    name: 'the reference data',
  }
}

function fitOn(probs: Float64Array | null, labels: Float64Array, K: number): Calibration {
  if (probs === null || K < 2) return identity
  const rows: number[] = []
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(labels[i]!)) continue
    let finite = true
    for (let k = 0; k < K; k++) if (!Number.isFinite(probs[i * K + k]!)) finite = false
    if (finite) rows.push(i)
  }
  if (rows.length < 2) return identity
  const classes = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k)
  const calibrators = classes.map((k) => {
    const scores = Float64Array.from(rows, (i) => probs[i * K + k]!)
    const hits = Float64Array.from(rows, (i) => (labels[i] === k ? 1 : 0))
    return fitIsotonic(scores, hits)
  })
  return (p, width) => {
    const n = p.length / width
    const out = new Float64Array(p.length)
    if (width === 2) {
      const calibrator = calibrators[0]!
      for (let i = 0; i < n; i++) {
        const p1 = p[i * 2 + 1]!
        const c = Number.isFinite(p1) ? calibrator.apply(p1) : Number.NaN
        out[i * 2] = 1 - c
        out[i * 2 + 1] = c
      }
      return out
    }
    for (let i = 0; i < n; i++) {
      let sum = 0
      for (let k = 0; k < width; k++) {
        const v = p[i * width + k]!
        const c = Number.isFinite(v) ? calibrators[k]!.apply(v) : Number.NaN
        out[i * width + k] = c
        sum += c
      }
      // All-zero rows (each class called impossible) keep the model's own probabilities.
      for (let k = 0; k < width; k++) {
        out[i * width + k] = sum > 0 ? out[i * width + k]! / sum : p[i * width + k]!
      }
    }
    return out
  }
}
