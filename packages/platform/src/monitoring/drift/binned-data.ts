import { InvalidParameterError } from '@ballast/contracts'
import { atMostDistinct, countCategories } from './category-counts.js'
import { histogramCounts, sturgesEdges } from './histogram.js'
import type { DriftColumn, DriftColumnType } from './stattest.js'

/** Above this many distinct reference values a numerical column is binned, not counted per value. */
export const MAX_VALUES_WITHOUT_BINS = 20

export interface BinnedShares {
  reference: Float64Array
  current: Float64Array
}

/**
 * Evidently's `get_binned_data`: shares of each sample per bucket. Numerical columns whose
 * reference has more than 20 distinct values get Sturges bins over both samples; every other
 * column gets one bucket per value seen in either sample. With `fillZeroes`, an empty bucket
 * takes a small share (the smallest non-zero share / 10^6 when that is ≤ 0.0001, else 0.0001)
 * so that logarithms stay finite.
 */
export function binnedShares(
  reference: DriftColumn,
  current: DriftColumn,
  columnType: DriftColumnType,
  fillZeroes: boolean,
): BinnedShares {
  if (reference.length === 0 || current.length === 0)
    throw new InvalidParameterError('drift needs a non-empty reference and current sample')
  let ref: Float64Array
  let cur: Float64Array
  if (
    columnType === 'num' &&
    reference instanceof Float64Array &&
    current instanceof Float64Array &&
    !atMostDistinct([reference], MAX_VALUES_WITHOUT_BINS)
  ) {
    const edges = sturgesEdges([reference, current])
    ref = histogramCounts(reference, edges)
    cur = histogramCounts(current, edges)
  } else {
    const counts = countCategories(reference, current)
    ref = counts.reference
    cur = counts.current
  }
  const nRef = reference.length
  const nCur = current.length
  for (let i = 0; i < ref.length; i++) ref[i] = ref[i]! / nRef
  for (let i = 0; i < cur.length; i++) cur[i] = cur[i]! / nCur
  if (fillZeroes) {
    fillEmpty(ref)
    fillEmpty(cur)
  }
  return { reference: ref, current: cur }
}

function fillEmpty(shares: Float64Array): void {
  let smallest = Infinity
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s
  const floor = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = floor
}
