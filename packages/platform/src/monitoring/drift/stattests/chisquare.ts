import { countCategories } from '../category-counts.js'
import { decideDrift } from '../decide-drift.js'
import { chiSquareSf } from '../math/gamma-distribution.js'
import type { StatTest } from '../stattest.js'

/**
 * Pearson's chi-square of the current counts against the reference counts scaled to the current
 * size, over every value seen in either sample; p-value with (values − 1) degrees of freedom.
 */
export const chisquareStatTest: StatTest = {
  id: 'chisquare',
  name: 'chi-square p_value',
  columnTypes: ['cat'],
  defaultThreshold: 0.05,
  kind: 'p_value',
  compute(reference, current, _columnType, threshold) {
    const { reference: ref, current: cur } = countCategories(reference, current)
    const scale = current.length / reference.length
    let statistic = 0
    for (let i = 0; i < ref.length; i++) {
      const expected = ref[i]! * scale
      const diff = cur[i]! - expected
      statistic += (diff * diff) / expected
    }
    return decideDrift('p_value', chiSquareSf(statistic, ref.length - 1), threshold)
  },
}
