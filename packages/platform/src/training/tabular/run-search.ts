import { evaluate, searchMetric } from './evaluate.js'
import { fitModel } from './fit-model.js'
import type { FitData, FitRequest } from './fit-model.js'
import { searchTrials } from './search-space.js'
import type { SearchSpec, TrialResult } from './types.js'

export interface SearchRun {
  search: SearchSpec
  base: FitRequest
  seed: number
  train: FitData
  validation: FitData
  pause: () => Promise<void>
  checkAbort: () => void
  progress: (done: number, total: number) => void
  onTrial?(trial: TrialResult): void | Promise<void>
}

/**
 * Trains one model per parameter set on the training rows and scores it on the validation rows;
 * returns every trial and the best set (NaN scores never win; the first of equal scores wins).
 */
export async function runSearch(
  run: SearchRun,
): Promise<{ trials: TrialResult[]; best: Record<string, number> | null }> {
  const sets = searchTrials(run.base.algo, run.search, run.seed)
  const metric = searchMetric(run.base.task, run.base.numClasses)
  const trials: TrialResult[] = []
  let best: { value: number; params: Record<string, number> } | null = null
  for (const [index, set] of sets.entries()) {
    await run.pause()
    run.progress(index, sets.length)
    const fitted = fitModel(run.train, {
      ...run.base,
      params: { ...run.base.params, ...set },
      validation: run.validation,
      onIteration: run.checkAbort,
    })
    const predicted = fitted.predict(run.validation.features)
    const scores = evaluate(run.base.task, run.validation.label, predicted, run.base.numClasses)
    const value = scores.metrics[metric.name] ?? Number.NaN
    const trial: TrialResult = { index, params: set, metric: `valid_${metric.name}`, value }
    trials.push(trial)
    await run.onTrial?.(trial)
    const better =
      !Number.isNaN(value) &&
      (best === null || (metric.maximize ? value > best.value : value < best.value))
    if (better) best = { value, params: set }
  }
  run.progress(sets.length, sets.length)
  return { trials, best: best?.params ?? null }
}
