import { evaluate } from './evaluate.js'
import { fitModel } from './fit-model.js'
import type { FitData, FitRequest } from './fit-model.js'
import { kFolds } from './splits.js'

export interface CrossValidation {
  base: FitRequest
  folds: number
  seed: number
  /** The training rows (test rows never enter). */
  rows: Uint32Array
  dataOf: (rows: Uint32Array) => FitData
  pause: () => Promise<void>
  checkAbort: () => void
  progress: (done: number, total: number) => void
}

/**
 * k-fold cross-validation: `cv_<metric>_mean` and `cv_<metric>_std` (population standard
 * deviation, numpy's default) over the folds. Folds have no validation rows, so GBDT early
 * stopping is off inside them.
 */
export async function crossValidate(cv: CrossValidation): Promise<Record<string, number>> {
  const splits = kFolds(cv.rows, cv.folds, cv.seed + 2)
  const perMetric = new Map<string, number[]>()
  for (const [f, split] of splits.entries()) {
    await cv.pause()
    cv.progress(f, splits.length)
    const params =
      cv.base.algo === 'gbdt' ? { ...cv.base.params, earlyStoppingRounds: 0 } : cv.base.params
    const fitted = fitModel(cv.dataOf(split.train), {
      ...cv.base,
      params,
      onIteration: cv.checkAbort,
    })
    const test = cv.dataOf(split.test)
    const { metrics } = evaluate(
      cv.base.task,
      test.label,
      fitted.predict(test.features),
      cv.base.numClasses,
    )
    for (const [name, value] of Object.entries(metrics)) {
      perMetric.set(name, [...(perMetric.get(name) ?? []), value])
    }
  }
  cv.progress(splits.length, splits.length)
  const out: Record<string, number> = {}
  for (const [name, values] of perMetric) {
    // A metric missing from some fold (roc_auc of a one-class fold) is not averaged.
    if (values.length !== splits.length) continue
    const mean = values.reduce((s, v) => s + v, 0) / values.length
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length
    out[`cv_${name}_mean`] = mean
    out[`cv_${name}_std`] = Math.sqrt(variance)
  }
  return out
}
