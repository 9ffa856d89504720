import { InvalidParameterError } from '@ballast/contracts'

/** Per-feature mean and standard deviation (population); a constant column gets scale 1. */
export interface Standardization {
  mean: Float64Array
  scale: Float64Array
}

export function fitStandardization(features: Float64Array[], label: Float64Array): Standardization {
  const n = label.length
  if (features.length === 0)
    throw new InvalidParameterError('features must have at least one column')
  if (n === 0) throw new InvalidParameterError('label is empty')
  const mean = new Float64Array(features.length)
  const scale = new Float64Array(features.length)
  features.forEach((col, f) => {
    if (col.length !== n)
      throw new InvalidParameterError(`features[${f}] has ${col.length} rows; label has ${n}`)
    let s = 0
    for (let i = 0; i < n; i++) {
      const x = col[i]!
      if (!Number.isFinite(x))
        throw new InvalidParameterError(`features[${f}][${i}] must be finite; got ${x}`)
      s += x
    }
    const m = s / n
    let v = 0
    for (let i = 0; i < n; i++) v += (col[i]! - m) ** 2
    mean[f] = m
    scale[f] = v > 0 ? Math.sqrt(v / n) : 1
  })
  return { mean, scale }
}

/** Standardized copy of the features, row-major n × p (the layout the solvers loop over). */
export function standardizedRows(features: Float64Array[], st: Standardization): Float64Array {
  const p = features.length
  const n = features[0]!.length
  const out = new Float64Array(n * p)
  for (let f = 0; f < p; f++) {
    const col = features[f]!
    const m = st.mean[f]!
    const s = st.scale[f]!
    for (let i = 0; i < n; i++) out[i * p + f] = (col[i]! - m) / s
  }
  return out
}
