import { binnedShares } from '../binned-data.js'
import { decideDrift } from '../decide-drift.js'
import type { StatTest } from '../stattest.js'

/** Jensen-Shannon distance (base 2) between the binned shares, with no floor on empty bins. */
export const jensenshannonStatTest: StatTest = {
  id: 'jensenshannon',
  name: 'Jensen-Shannon distance',
  columnTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const { reference: p, current: q } = binnedShares(reference, current, columnType, false)
    const sumP = sum(p)
    const sumQ = sum(q)
    let left = 0
    let right = 0
    for (let i = 0; i < p.length; i++) {
      const pi = p[i]! / sumP
      const qi = q[i]! / sumQ
      const m = (pi + qi) / 2
      left += relativeEntropy(pi, m)
      right += relativeEntropy(qi, m)
    }
    const js = (left + right) / Math.LN2
    return decideDrift('distance', Math.sqrt(js / 2), threshold)
  },
}

/** scipy's rel_entr: x·ln(x/y), 0 when x is 0. */
export function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y)
  if (x === 0 && y >= 0) return 0
  return Infinity
}

export function sum(values: Float64Array): number {
  let s = 0
  for (const v of values) s += v
  return s
}
