import { sortedCopy } from '../math/pooled-ranks.js'
import type { StatTest } from '../stattest.js'
import { numericSamples } from './numeric-column.js'
import { cdfDistanceIntegral } from './wasserstein.js'

/** scipy's energy_distance: √2 · (∫(F_u − F_v)²)^½. Evidently applies no norming. */
export function energyDistance(reference: Float64Array, current: Float64Array): number {
  return Math.SQRT2 * Math.sqrt(cdfDistanceIntegral(sortedCopy(reference), sortedCopy(current), 2))
}

export const energyDistanceStatTest: StatTest = {
  id: 'ed',
  name: 'Energy-distance',
  columnTypes: ['num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const s = numericSamples('ed', reference, current, columnType)
    const score = energyDistance(s.reference, s.current)
    // Evidently's rule for this test is strict: a distance equal to the threshold is no drift.
    return { score, drifted: score > threshold }
  },
}
