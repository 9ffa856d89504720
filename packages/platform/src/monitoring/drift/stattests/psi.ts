import { binnedShares } from '../binned-data.js'
import { decideDrift } from '../decide-drift.js'
import type { StatTest } from '../stattest.js'

/** Population stability index: Σ (ref − cur) · ln(ref / cur) over the binned shares. */
export const psiStatTest: StatTest = {
  id: 'psi',
  name: 'PSI',
  columnTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const { reference: r, current: c } = binnedShares(reference, current, columnType, true)
    let psi = 0
    for (let i = 0; i < r.length; i++) psi += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!)
    return decideDrift('distance', psi, threshold)
  },
}
