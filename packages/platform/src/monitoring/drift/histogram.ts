/**
 * numpy's `histogram_bin_edges(values, bins='sturges')` over the union of the given samples:
 * equal-width bins, width = range / (log2(n) + 1), edges by `linspace`.
 */
export function sturgesEdges(samples: readonly Float64Array[], maxBins = Infinity): Float64Array {
  let min = Infinity
  let max = -Infinity
  let n = 0
  for (const s of samples) {
    n += s.length
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!
      if (v < min) min = v
      if (v > max) max = v
    }
  }
  if (n === 0) return Float64Array.of(0, 1)
  let first = min
  let last = max
  if (first === last) {
    first -= 0.5
    last += 0.5
  }
  const width = (max - min) / (Math.log2(n) + 1)
  const bins = width ? Math.min(Math.ceil((last - first) / width), maxBins) : 1
  return linspace(first, last, bins + 1)
}

/** numpy's `linspace(start, stop, num)` (endpoint included), value for value. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num)
  const div = num - 1
  const delta = stop - start
  const step = delta / div
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start
  if (num > 1) out[num - 1] = stop
  return out
}

/**
 * Counts per bin as numpy's `histogram(values, edges)`: bin i holds edges[i] ≤ v < edges[i+1],
 * the last bin also holds its right edge; values outside the edges are not counted.
 */
export function histogramCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1
  const counts = new Float64Array(bins)
  const lo = edges[0]!
  const hi = edges[bins]!
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!
    if (!(v >= lo && v <= hi)) continue
    // Largest i with edges[i] <= v, by binary search over the (small) edge array.
    let a = 0
    let b = bins
    while (a < b) {
      const mid = (a + b + 1) >>> 1
      if (edges[mid]! <= v) a = mid
      else b = mid - 1
    }
    counts[a === bins ? bins - 1 : a]!++
  }
  return counts
}
