import { forEachTieGroup, sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Evidently's floor on the reference std, so a constant reference does not divide by zero. */
const MIN_NORM = 0.001

/** Population (ddof = 0) standard deviation, two-pass. */
export function populationStd(values: Float64Array): number {
  let sum = 0
  for (const v of values) sum += v
  const mean = sum / values.length
  let ss = 0
  for (const v of values) ss += (v - mean) * (v - mean)
  return Math.sqrt(ss / values.length)
}

/**
 * ∫|F_u − F_v|^p over the pooled sorted values (scipy's _cdf_distance), p = 1 or 2; the p = 2
 * form is returned before its square root.
 */
export function cdfDistanceIntegral(us: Float64Array, vs: Float64Array, p: 1 | 2): number {
  let cumU = 0
  let cumV = 0
  let previous = NaN
  let gap = 0
  let total = 0
  forEachTieGroup(us, vs, (value, countU, countV) => {
    if (cumU + cumV > 0) total += (p === 1 ? Math.abs(gap) : gap * gap) * (value - previous)
    cumU += countU
    cumV += countV
    gap = cumU / us.length - cumV / vs.length
    previous = value
  })
  return total
}

/** First Wasserstein distance divided by max(std(reference), 0.001). */
export function wassersteinDistanceNorm(reference: Float64Array, current: Float64Array): number {
  const norm = Math.max(populationStd(reference), MIN_NORM)
  return cdfDistanceIntegral(sortedCopy(reference), sortedCopy(current), 1) / norm
}

export const wassersteinStatTest: StatTest = {
  id: 'wasserstein',
  name: 'Wasserstein distance (normed)',
  columnTypes: ['num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('wasserstein', reference, current, columnType)
    const score = wassersteinDistanceNorm(s.reference, s.current)
    return { score, drifted: score >= threshold }
  },
}
