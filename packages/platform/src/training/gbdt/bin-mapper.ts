import { float32SplitBetween } from '../onnx/float32.js'

/**
 * Quantile binning. Numeric feature: bin b holds the values x with upperBounds[b-1] < x <=
 * upperBounds[b], so a split "bin <= b" is exactly the raw test "x <= upperBounds[b]" (values above
 * the last bound fall in the last bin, which is never a split's left edge). A bound closing a bin
 * whose largest value is v, below the next distinct value w, is a float32 strictly between v and
 * w when one exists (see float32SplitBetween): ONNX runtimes compare in float32, and such a bound
 * keeps v and w on their sides after rounding to float32. The last bound is the maximum.
 * Categorical feature: the most frequent categories get one bin each. NaN, and categories too rare
 * to get a bin or unseen in training, use the extra slot numBins ("missing").
 */
export interface FeatureBins {
  categorical: boolean
  numBins: number
  upperBounds: Float64Array
  categories: Float64Array
}

/** Rows looked at to place the bin bounds; more adds time, not accuracy. */
const BOUND_SAMPLE = 200_000

export function fitFeatureBins(
  column: Float64Array,
  categorical: boolean,
  maxBins: number,
): FeatureBins {
  return categorical ? fitCategorical(column, maxBins) : fitNumeric(column, maxBins)
}

function fitNumeric(column: Float64Array, maxBins: number): FeatureBins {
  const stride = Math.max(1, Math.floor(column.length / BOUND_SAMPLE))
  const sample = new Float64Array(Math.ceil(column.length / stride))
  let n = 0
  for (let i = 0; i < column.length; i += stride) {
    const v = column[i]!
    if (!Number.isNaN(v)) sample[n++] = v
  }
  const sorted = sample.subarray(0, n).sort()
  const bounds: number[] = []
  if (n === 0) bounds.push(Number.POSITIVE_INFINITY)
  const everyValue = distinctFits(sorted, maxBins)
  let k = 1
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!
    if (i + 1 < n && sorted[i + 1] === v) continue
    // i + 1 values are <= v: close a bin once the next quantile is reached, or at the maximum.
    if (i + 1 === n || i + 1 >= (k * n) / maxBins || everyValue) {
      bounds.push(i + 1 === n ? v : float32SplitBetween(v, sorted[i + 1]!))
      while (k * n <= (i + 1) * maxBins) k++
    }
  }
  return {
    categorical: false,
    numBins: bounds.length,
    upperBounds: Float64Array.from(bounds),
    categories: new Float64Array(0),
  }
}

/** True when the column has so few distinct values that each can have its own bin. */
function distinctFits(sorted: Float64Array, maxBins: number): boolean {
  let distinct = 0
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++
    if (distinct > maxBins) return false
  }
  return true
}

function fitCategorical(column: Float64Array, maxBins: number): FeatureBins {
  const counts = new Map<number, number>()
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!
    if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxBins)
  const categories = Float64Array.from(ranked.map(([v]) => v))
  return {
    categorical: true,
    numBins: Math.max(1, categories.length),
    upperBounds: new Float64Array(0),
    categories,
  }
}

/** The bin index of every row (numBins for missing). */
export function binColumn(column: Float64Array, fb: FeatureBins): Uint8Array {
  const out = new Uint8Array(column.length)
  const missing = fb.numBins
  if (fb.categorical) {
    const index = new Map<number, number>()
    fb.categories.forEach((v, b) => index.set(v, b))
    for (let i = 0; i < column.length; i++) out[i] = index.get(column[i]!) ?? missing
    return out
  }
  const ub = fb.upperBounds
  const last = fb.numBins - 1
  for (let i = 0; i < column.length; i++) {
    const x = column[i]!
    if (Number.isNaN(x)) {
      out[i] = missing
      continue
    }
    let lo = 0
    let hi = last
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (x <= ub[mid]!) hi = mid
      else lo = mid + 1
    }
    out[i] = lo
  }
  return out
}
