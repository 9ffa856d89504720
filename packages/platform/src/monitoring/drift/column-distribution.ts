import { countCategories } from './category-counts.js'
import { histogramCounts, sturgesEdges } from './histogram.js'
import type { DriftColumn } from './stattest.js'

/** Bars per chart: enough to see a shape, few enough that 100 charts stay small. */
export const MAX_CHART_BINS = 40
export const OTHER_CATEGORY = '(other)'

/** What a picture of one column needs: counts of both samples on common bins or categories. */
export type ColumnDistribution =
  | {
      readonly kind: 'num'
      /** bins + 1 edges; bin i is [edges[i], edges[i+1]), the last one closed. */
      readonly edges: number[]
      readonly reference: number[]
      readonly current: number[]
    }
  | {
      readonly kind: 'cat'
      readonly categories: string[]
      readonly reference: number[]
      readonly current: number[]
    }

/**
 * Numbers: Sturges bins over both samples, at most 40. Categories: the 39 most frequent
 * (by share in both samples together), the rest counted as "(other)".
 */
export function columnDistribution(
  reference: DriftColumn,
  current: DriftColumn,
): ColumnDistribution {
  if (reference instanceof Float64Array && current instanceof Float64Array) {
    const edges = sturgesEdges([reference, current], MAX_CHART_BINS)
    return {
      kind: 'num',
      edges: Array.from(edges),
      reference: Array.from(histogramCounts(reference, edges)),
      current: Array.from(histogramCounts(current, edges)),
    }
  }
  const counts = countCategories(reference, current)
  const weight = (i: number) =>
    counts.reference[i]! / reference.length + counts.current[i]! / current.length
  const order = counts.keys.map((_, i) => i).sort((a, b) => weight(b) - weight(a) || a - b)
  const kept = order.length <= MAX_CHART_BINS ? order : order.slice(0, MAX_CHART_BINS - 1)
  const categories = kept.map((i) => String(counts.keys[i]))
  const ref = kept.map((i) => counts.reference[i]!)
  const cur = kept.map((i) => counts.current[i]!)
  if (kept.length < order.length) {
    categories.push(OTHER_CATEGORY)
    ref.push(reference.length - ref.reduce((a, b) => a + b, 0))
    cur.push(current.length - cur.reduce((a, b) => a + b, 0))
  }
  return { kind: 'cat', categories, reference: ref, current: cur }
}
