import { ksTwoSample } from '../math/ks-two-sample.js'
import { sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'

/** Two-sided two-sample Kolmogorov–Smirnov p-value (scipy ks_2samp, method 'auto'). */
export const ksStatTest: StatTest = {
  id: 'ks',
  name: 'K-S p_value',
  columnTypes: ['num'],
  defaultThreshold: 0.05,
  kind: 'p_value',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('ks', reference, current, columnType)
    const score = ksTwoSample(sortedCopy(s.reference), sortedCopy(s.current)).pValue
    // Evidently counts a p-value equal to the threshold as drift for this test.
    return { score, drifted: score <= threshold }
  },
}
