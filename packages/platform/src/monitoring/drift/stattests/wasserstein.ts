import { sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Evidently's floor on the reference std, so a constant reference does not divide by zero. */
const MIN_NORM = 0.001

/** Population (ddof = 0) standard deviation, two-pass. */
export function populationStd(values: Float64Array): number {
  const n = values.length
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i]!
  const mean = sum / n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) * (values[i]! - mean)
  return Math.sqrt(ss / n)
}

/**
 * ∫|F_u − F_v|^p over the pooled sorted values (scipy's _cdf_distance), p = 1 or 2; the p = 2
 * form is returned before its square root.
 */
export function cdfDistanceIntegral(us: Float64Array, vs: Float64Array, p: 1 | 2): number {
  // forEachTieGroup's walk written out: a callback per distinct value costs more than the
  // arithmetic on samples of a million values.
  const nu = us.length
  const nv = vs.length
  let i = 0
  let j = 0
  let previous = NaN
  let gap = 0
  let total = 0
  while (i < nu || j < nv) {
    const value = i < nu && (j >= nv || us[i]! <= vs[j]!) ? us[i]! : vs[j]!
    if (i + j > 0) total += (p === 1 ? Math.abs(gap) : gap * gap) * (value - previous)
    while (i < nu && us[i] === value) i++
    while (j < nv && vs[j] === value) j++
    gap = i / nu - j / nv
    previous = value
  }
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
