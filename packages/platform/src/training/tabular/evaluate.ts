import {
  accuracy,
  calibrationTable,
  confusionMatrix,
  logLoss,
  macroPrecisionRecallF1,
  mae,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
  rocAucOvr,
} from '../metrics/index.js'
import type { CalibrationBin } from '../metrics/index.js'
import type { TabularTask } from './types.js'

export interface Evaluation {
  /** Metric name (without prefix) → value. */
  metrics: Record<string, number>
  confusionMatrix?: number[][]
  calibration?: CalibrationBin[]
}

/** Index of the largest probability of each row of an n × K matrix (first on ties). */
export function argmaxRows(probs: Float64Array, K: number): Float64Array {
  const n = probs.length / K
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k
    out[i] = best
  }
  return out
}

/**
 * Classification: accuracy, precision, recall, f1 (binary: of class 1; multiclass: macro),
 * roc_auc (binary, or macro one-vs-rest; absent when the labels hold a single class), log_loss;
 * regression: rmse, mae, r2. `predicted` is n × K probabilities or n values.
 */
export function evaluate(
  task: TabularTask,
  label: Float64Array,
  predicted: Float64Array,
  numClasses: number,
): Evaluation {
  if (task === 'regression') {
    return {
      metrics: {
        rmse: rmse(label, predicted),
        mae: mae(label, predicted),
        r2: r2(label, predicted),
      },
    }
  }
  const K = numClasses
  const yPred = argmaxRows(predicted, K)
  const binary = K === 2
  const p1 = binary ? predicted.filter((_, i) => i % 2 === 1) : null
  const prf = p1 ? precisionRecallF1(label, yPred, 1) : macroPrecisionRecallF1(label, yPred, K)
  const metrics: Record<string, number> = {
    accuracy: accuracy(label, yPred),
    precision: prf.precision,
    recall: prf.recall,
    f1: prf.f1,
    log_loss: p1 ? logLoss(label, p1, 2) : logLoss(label, predicted, K),
  }
  const present = new Set(label).size
  if (present >= 2) metrics.roc_auc = p1 ? rocAuc(label, p1) : rocAucOvr(label, predicted, K)
  return {
    metrics,
    confusionMatrix: confusionMatrix(label, yPred, K),
    ...(p1 ? { calibration: calibrationTable(label, p1) } : {}),
  }
}

/** The metric a search optimizes on the validation rows, and whether larger is better. */
export function searchMetric(
  task: TabularTask,
  numClasses: number,
): { name: string; maximize: boolean } {
  if (task === 'regression') return { name: 'rmse', maximize: false }
  return numClasses === 2
    ? { name: 'roc_auc', maximize: true }
    : { name: 'accuracy', maximize: true }
}

export function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]))
}
