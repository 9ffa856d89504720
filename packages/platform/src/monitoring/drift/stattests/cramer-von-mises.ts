import { InvalidParameterError } from '@ballast/contracts'
import { cvmExactPValue, cvmLimitCdf } from '../math/cramer-von-mises-distribution.js'
import { forEachTieGroup, sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Evidently's 'auto' rule: exact p-value while both samples have at most 20 values. */
const CVM_MAX_EXACT_N = 20

export interface CramerVonMisesResult {
  statistic: number
  pValue: number
}

/**
 * Two-sample Cramér–von Mises test as Evidently computes it (method 'auto'), midranks for ties.
 * Needs at least two values in each sample, as Evidently and scipy do.
 */
export function cramerVonMises(
  reference: Float64Array,
  current: Float64Array,
): CramerVonMisesResult {
  const nx = reference.length
  const ny = current.length
  // U = nx·Σ(r_i − i)² + ny·Σ(s_j − j)², ranks of each sorted sample in the pooled one.
  let sumX = 0
  let sumY = 0
  let seenX = 0
  let seenY = 0
  forEachTieGroup(sortedCopy(reference), sortedCopy(current), (_v, countX, countY, start) => {
    const rank = start + (countX + countY + 1) / 2
    for (let i = 0; i < countX; i++) sumX += (rank - (seenX + i + 1)) ** 2
    for (let j = 0; j < countY; j++) sumY += (rank - (seenY + j + 1)) ** 2
    seenX += countX
    seenY += countY
  })
  const u = nx * sumX + ny * sumY
  const k = nx * ny
  const N = nx + ny
  const statistic = u / (k * N) - (4 * k - 1) / (6 * N)
  if (Math.max(nx, ny) <= CVM_MAX_EXACT_N) {
    return { statistic, pValue: cvmExactPValue(u, nx, ny) }
  }
  const et = (1 + 1 / N) / 6
  const vt = ((N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k)) / (45 * N ** 2 * 4 * k)
  const tn = 1 / 6 + (statistic - et) / Math.sqrt(45 * vt)
  // Below 0.003 the limiting CDF is under 1.3e-18; Evidently returns 1 there.
  const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn))
  return { statistic, pValue }
}

export const cramerVonMisesStatTest: StatTest = {
  id: 'cramer_von_mises',
  name: 'Cramer-von Mises',
  columnTypes: ['num'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('cramer_von_mises', reference, current, columnType)
    if (s.reference.length < 2 || s.current.length < 2) {
      throw new InvalidParameterError(
        "Stat test 'cramer_von_mises' needs at least two values in both reference and current",
      )
    }
    const score = cramerVonMises(s.reference, s.current).pValue
    return { score, drifted: score <= threshold }
  },
}
