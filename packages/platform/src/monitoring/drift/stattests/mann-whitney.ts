import { forEachTieGroup, sortedCopy } from '../math/pooled-ranks.js'
import { normalSf } from '../math/special-functions.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/**
 * One-sided p-value of the Mann–Whitney U test, alternative 'less' (reference stochastically
 * smaller than current), as Evidently calls scipy's mannwhitneyu: method 'auto' is exact when
 * either sample has at most 8 values and there are no ties, else the normal approximation with
 * tie correction and continuity correction.
 */
export function mannWhitneyLessPValue(reference: Float64Array, current: Float64Array): number {
  const n1 = reference.length
  const n2 = current.length
  let rankSum1 = 0
  let tieTerm = 0
  let hasTies = false
  forEachTieGroup(sortedCopy(reference), sortedCopy(current), (_v, countX, countY, start) => {
    const t = countX + countY
    rankSum1 += countX * (start + (t + 1) / 2)
    if (t > 1) {
      hasTies = true
      tieTerm += t * t * t - t
    }
  })
  const u1 = rankSum1 - (n1 * (n1 + 1)) / 2
  // For 'less', scipy takes the survival function of U2 = n1·n2 − U1.
  const u = n1 * n2 - u1
  let p: number
  if ((n1 > 8 && n2 > 8) || hasTies) {
    const n = n1 + n2
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
    const z = (u - (n1 * n2) / 2 - 0.5) / s
    p = Number.isNaN(z) ? NaN : normalSf(z)
  } else {
    p = exactUSf(u, n1, n2)
  }
  return Math.min(Math.max(p, 0), 1)
}

/**
 * P(U ≥ u) under the null for sizes n1, n2, from the Gaussian binomial coefficient
 * [n1+n2 choose m]_q whose q-coefficients count the arrangements giving each U. Like scipy, only
 * the half below n1·n2/2 is built and the other tail is mirrored.
 */
export function exactUSf(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2)
  const big = Math.max(n1, n2)
  const complement = n1 * n2 - u
  const k = Math.min(u, complement)
  const counts = new Float64Array(k + 1)
  counts[0] = 1
  for (let i = 1; i <= m; i++) {
    // Multiply by 1/(1 − q^i), then by (1 − q^(big+i)); truncation at degree k is exact.
    for (let d = i; d <= k; d++) counts[d] = (counts[d] as number) + (counts[d - i] as number)
    const shift = big + i
    for (let d = k; d >= shift; d--)
      counts[d] = (counts[d] as number) - (counts[d - shift] as number)
  }
  let total = 1
  for (let i = 1; i <= m; i++) total = (total * (big + i)) / i
  let cdf = 0
  for (let d = 0; d <= k; d++) cdf += (counts[d] as number) / total
  if (u < complement) return 1 - cdf + (counts[k] as number) / total
  return cdf
}

export const mannWhitneyStatTest: StatTest = {
  id: 'mannw',
  name: 'Mann-Whitney U-rank test',
  columnTypes: ['num'],
  defaultThreshold: 0.05,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('mannw', reference, current, columnType)
    const score = mannWhitneyLessPValue(s.reference, s.current)
    return { score, drifted: score < threshold }
  },
}
