import { compareCodePoints } from '../category-counts.js'
import { decideDrift } from '../decide-drift.js'
import { normalTwoSidedP } from '../math/gamma-distribution.js'
import type { DriftColumn, StatTest } from '../stattest.js'

/**
 * Two-proportion z-test: the smallest value (in sorted order) against all others, pooled
 * variance, two-sided p-value. Identical single-valued samples score 1.
 */
export const zStatTest: StatTest = {
  id: 'z',
  name: 'Z-test p_value',
  columnTypes: ['cat'],
  defaultThreshold: 0.05,
  kind: 'p_value',
  compute(reference, current, _columnType, threshold) {
    const refValues = distinctValues(reference)
    const curValues = distinctValues(current)
    if (refValues.length === 1 && curValues.length === 1 && refValues[0] === curValues[0])
      return decideDrift('p_value', 1, threshold)
    const first = smallest([...refValues, ...curValues])
    const n1 = reference.length
    const n2 = current.length
    const p1 = countOthers(reference, first) / n1
    const p2 = countOthers(current, first) / n2
    const pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return decideDrift('p_value', normalTwoSidedP(z), threshold)
  },
}

function distinctValues(values: DriftColumn): (string | number)[] {
  return [...new Set<string | number>(values)]
}

function smallest(values: (string | number)[]): string | number {
  return values.reduce((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? Math.min(a, b)
      : compareCodePoints(String(a), String(b)) <= 0
        ? a
        : b,
  )
}

function countOthers(values: DriftColumn, first: string | number): number {
  let others = 0
  for (const v of values) if (v !== first) others++
  return others
}
