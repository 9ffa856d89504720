import { InvalidParameterError } from '@ballast/contracts'
import { countCategories } from '../category-counts.js'
import { decideDrift } from '../decide-drift.js'
import type { StatTest } from '../stattest.js'

/**
 * Fisher's exact test on the 2×2 table (sample × value) of a binary column, two-sided as scipy:
 * the probability of every table at most as likely as the observed one. Like Evidently, it needs
 * samples of equal size.
 */
export const fisherExactStatTest: StatTest = {
  id: 'fisher_exact',
  name: "Fisher's Exact test",
  columnTypes: ['cat'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, _columnType, threshold) {
    if (reference.length !== current.length)
      throw new InvalidParameterError(
        `fisher_exact needs reference and current samples of equal size (got ${reference.length} and ${current.length})`,
      )
    const { keys, reference: ref, current: cur } = countCategories(reference, current)
    if (keys.length > 2)
      throw new InvalidParameterError(
        `fisher_exact needs a binary column (found ${keys.length} distinct values)`,
      )
    const p = fisherTwoSided(cur[0]!, cur[1] ?? 0, ref[0]!, ref[1] ?? 0)
    return decideDrift('p_value', p, threshold)
  },
}

/** Two-sided p-value of the table [[a, b], [c, d]], by scipy's definition. */
export function fisherTwoSided(a: number, b: number, c: number, d: number): number {
  const row1 = a + b
  const total = a + b + c + d
  const col1 = a + c
  const lo = Math.max(0, col1 - (c + d))
  const hi = Math.min(col1, row1)
  if (lo === hi) return 1
  // Hypergeometric weights relative to the mode, by the ratio of successive terms.
  const mode = Math.floor(((col1 + 1) * (row1 + 1)) / (total + 2))
  const weights = new Float64Array(hi - lo + 1)
  weights[mode - lo] = 1
  for (let x = mode; x < hi; x++) {
    const ratio = ((row1 - x) * (col1 - x)) / ((x + 1) * (total - row1 - col1 + x + 1))
    weights[x + 1 - lo] = weights[x - lo]! * ratio
  }
  for (let x = mode; x > lo; x--) {
    const ratio = (x * (total - row1 - col1 + x)) / ((row1 - x + 1) * (col1 - x + 1))
    weights[x - 1 - lo] = weights[x - lo]! * ratio
  }
  let all = 0
  for (const w of weights) all += w
  const observed = weights[a - lo]!
  if (Math.abs(observed - 1) <= 1e-14) return 1
  const limit = observed * (1 + 1e-14)
  let tail = 0
  for (const w of weights) if (w <= limit) tail += w
  return Math.min(tail / all, 1)
}
