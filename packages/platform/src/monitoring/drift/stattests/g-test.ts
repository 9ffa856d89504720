import { InvalidParameterError } from '@ballast/contracts'
import { countCategories } from '../category-counts.js'
import { decideDrift } from '../decide-drift.js'
import { chiSquareSf } from '../math/gamma-distribution.js'
import type { StatTest } from '../stattest.js'

/**
 * G-test (log-likelihood ratio) of the current counts against the reference counts, p-value
 * with (values − 1) degrees of freedom. The reference counts are not rescaled, so (as in
 * Evidently with current SciPy) the samples must have the same size.
 */
export const gTestStatTest: StatTest = {
  id: 'g_test',
  name: 'g_test',
  columnTypes: ['cat'],
  defaultThreshold: 0.1,
  kind: 'p_value',
  compute(reference, current, _columnType, threshold) {
    if (reference.length !== current.length)
      throw new InvalidParameterError(
        `g_test needs reference and current samples of equal size (got ${reference.length} and ${current.length})`,
      )
    const { reference: expected, current: observed } = countCategories(reference, current)
    let statistic = 0
    for (let i = 0; i < observed.length; i++) {
      const o = observed[i]!
      const e = expected[i]!
      if (o > 0) statistic += e > 0 ? o * Math.log(o / e) : Infinity
    }
    return decideDrift('p_value', chiSquareSf(2 * statistic, observed.length - 1), threshold)
  },
}
