import { countCategories } from '../category-counts.js'
import { decideDrift } from '../decide-drift.js'
import { histogramCounts, sturgesEdges } from '../histogram.js'
import type { StatTest } from '../stattest.js'

/**
 * Hellinger distance. Categories: over the shares per value. Numbers: over density histograms
 * on Sturges bins of the distinct values of both samples, integrated with the mean bin width.
 */
export const hellingerStatTest: StatTest = {
  id: 'hellinger',
  name: 'Hellinger distance',
  columnTypes: ['cat', 'num'],
  defaultThreshold: 0.1,
  kind: 'distance',
  compute(reference, current, columnType, threshold) {
    const counts = countCategories(reference, current)
    let affinity = 0
    if (columnType === 'cat' || !(reference instanceof Float64Array)) {
      const { reference: ref, current: cur } = counts
      for (let i = 0; i < ref.length; i++)
        affinity += Math.sqrt((ref[i]! / reference.length) * (cur[i]! / current.length))
    } else {
      const keys = Float64Array.from(counts.keys as number[])
      const edges = sturgesEdges([keys])
      const h1 = density(histogramCounts(reference, edges), edges)
      const h2 = density(histogramCounts(current as Float64Array, edges), edges)
      const binWidth = (keys[keys.length - 1]! - keys[0]!) / h1.length
      for (let i = 0; i < h1.length; i++) affinity += Math.sqrt(h1[i]! * h2[i]!) * binWidth
    }
    const clipped = Math.min(Math.max(affinity, 0), 1)
    return decideDrift('distance', Math.sqrt(1 - clipped), threshold)
  },
}

/** numpy's `density=True`: count / bin width / total. */
function density(counts: Float64Array, edges: Float64Array): Float64Array {
  let total = 0
  for (const c of counts) total += c
  return counts.map((c, i) => c / (edges[i + 1]! - edges[i]!) / total)
}
