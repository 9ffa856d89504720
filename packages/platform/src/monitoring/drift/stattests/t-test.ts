import { studentTTwoSidedP } from '../math/special-functions.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

function meanAndSumSquares(values: Float64Array): { mean: number; ss: number } {
  let sum = 0
  for (const v of values) sum += v
  const mean = sum / values.length
  let ss = 0
  for (const v of values) ss += (v - mean) * (v - mean)
  return { mean, ss }
}

/**
 * Two-sided p-value of Student's pooled-variance t-test (scipy's ttest_ind defaults, as Evidently
 * calls it). NaN when both samples are the same constant, as in scipy.
 */
export function tTestPValue(reference: Float64Array, current: Float64Array): number {
  const n1 = reference.length
  const n2 = current.length
  const a = meanAndSumSquares(reference)
  const b = meanAndSumSquares(current)
  const df = n1 + n2 - 2
  const pooledVariance = (a.ss + b.ss) / df
  const t = (a.mean - b.mean) / Math.sqrt(pooledVariance * (1 / n1 + 1 / n2))
  return studentTTwoSidedP(t, df)
}

export const tTestStatTest: StatTest = {
  id: 't_test',
  name: 't_test',
  columnTypes: ['num'],
  defaultThreshold: 0.05,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('t_test', reference, current, columnType)
    const score = tTestPValue(s.reference, s.current)
    return { score, drifted: score < threshold }
  },
}
