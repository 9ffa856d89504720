import { binnedShares } from '../binned-data.js'
import { decideDrift } from '../decide-drift.js'
import type { StatTest } from '../stattest.js'
import { relativeEntropy, sum } from './jensenshannon.js'

/** Kullback-Leibler divergence (natural log) of reference from current binned shares. */
export const klDivStatTest: StatTest = {
  id: 'kl_div',
  name: 'Kullback-Leibler divergence',
  columnTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const { reference: p, current: q } = binnedShares(reference, current, columnType, true)
    // Renormalized after the floor on empty bins, as scipy's entropy does.
    const sumP = sum(p)
    const sumQ = sum(q)
    let divergence = 0
    for (let i = 0; i < p.length; i++) divergence += relativeEntropy(p[i]! / sumP, q[i]! / sumQ)
    return decideDrift('distance', divergence, threshold)
  },
}
