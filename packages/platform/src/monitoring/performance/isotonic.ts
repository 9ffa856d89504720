import { InvalidParameterError } from '@ballast/contracts'

/** A fitted calibrator as stored: the thresholds of the step-and-ramp function. */
export interface IsotonicJson {
  kind: 'isotonic'
  /** Strictly increasing scores. */
  x: number[]
  /** Non-decreasing fitted values at those scores. */
  y: number[]
}

/**
 * A non-decreasing map from score to fitted value, as sklearn's `IsotonicRegression` with
 * `out_of_bounds='clip'`: linear between the fitted thresholds, constant beyond the first and
 * the last. NaN maps to NaN.
 */
export class IsotonicCalibrator {
  readonly x: Float64Array
  readonly y: Float64Array

  constructor(x: Float64Array, y: Float64Array) {
    this.x = x
    this.y = y
  }

  apply(score: number): number {
    const { x, y } = this
    const last = x.length - 1
    if (Number.isNaN(score)) return Number.NaN
    if (score <= (x[0] as number)) return y[0] as number
    if (score >= (x[last] as number)) return y[last] as number
    // Largest lo with x[lo] <= score; score < x[last], so lo < last.
    let lo = 0
    let hi = last
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1
      if ((x[mid] as number) <= score) lo = mid
      else hi = mid
    }
    const x0 = x[lo] as number
    const y0 = y[lo] as number
    if (score === x0) return y0
    const slope = ((y[lo + 1] as number) - y0) / ((x[lo + 1] as number) - x0)
    return y0 + slope * (score - x0)
  }

  applyAll(scores: Float64Array): Float64Array {
    const out = new Float64Array(scores.length)
    for (let i = 0; i < scores.length; i++) out[i] = this.apply(scores[i] as number)
    return out
  }

  toJSON(): IsotonicJson {
    return { kind: 'isotonic', x: Array.from(this.x), y: Array.from(this.y) }
  }
}

function checkFinite(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidParameterError(`${field}[${i}] must be a finite number, got ${String(v)}`)
    }
  }
}

/**
 * Fits the non-decreasing function of `scores` closest to `labels` in weighted least squares by
 * pool-adjacent-violators. Rows with equal scores are merged first (weighted mean of their
 * labels), and rows of weight 0 are dropped, as sklearn does.
 */
export function fitIsotonic(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicCalibrator {
  const n = scores.length
  if (labels.length !== n) {
    throw new InvalidParameterError(`fitIsotonic: ${n} scores but ${labels.length} labels`)
  }
  if (weights !== undefined && weights.length !== n) {
    throw new InvalidParameterError(`fitIsotonic: ${n} scores but ${weights.length} weights`)
  }
  checkFinite(scores, 'scores')
  checkFinite(labels, 'labels')
  if (weights !== undefined) {
    checkFinite(weights, 'weights')
    for (let i = 0; i < n; i++) {
      if ((weights[i] as number) < 0) {
        throw new InvalidParameterError(`weights[${i}] must be >= 0, got ${weights[i]}`)
      }
    }
  }
  const w = (i: number) => (weights === undefined ? 1 : (weights[i] as number))
  const order: number[] = []
  for (let i = 0; i < n; i++) if (w(i) > 0) order.push(i)
  if (order.length === 0) {
    throw new InvalidParameterError('fitIsotonic: no rows with a positive weight')
  }
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number))

  // Blocks on a stack: x of the first score pooled, weighted sum of labels, total weight.
  const bx = new Float64Array(order.length)
  const bwy = new Float64Array(order.length)
  const bw = new Float64Array(order.length)
  const bEnd = new Int32Array(order.length)
  // Distinct scores with their fitted block (filled when the stack settles).
  const ux = new Float64Array(order.length)
  let unique = 0
  let top = -1
  for (let r = 0; r < order.length;) {
    const s = scores[order[r] as number] as number
    let sw = 0
    let swy = 0
    while (r < order.length && scores[order[r] as number] === s) {
      const i = order[r] as number
      sw += w(i)
      swy += w(i) * (labels[i] as number)
      r++
    }
    ux[unique++] = s
    top++
    bx[top] = s
    bwy[top] = swy
    bw[top] = sw
    bEnd[top] = unique
    // Pool while the previous block's mean is not below this one's.
    while (top > 0 && (bwy[top - 1] as number) / (bw[top - 1] as number) >= swy / sw) {
      bwy[top - 1] = (bwy[top - 1] as number) + (bwy[top] as number)
      bw[top - 1] = (bw[top - 1] as number) + (bw[top] as number)
      bEnd[top - 1] = bEnd[top] as number
      top--
      // Re-read the merged block for the next comparison.
      swy = bwy[top] as number
      sw = bw[top] as number
    }
  }
  const fitted = new Float64Array(unique)
  let start = 0
  for (let b = 0; b <= top; b++) {
    const v = (bwy[b] as number) / (bw[b] as number)
    for (let u = start; u < (bEnd[b] as number); u++) fitted[u] = v
    start = bEnd[b] as number
  }
  return compact(ux.subarray(0, unique), fitted)
}

/** Drops the inner points of flat runs, which change no interpolated value (as sklearn does). */
function compact(x: Float64Array, y: Float64Array): IsotonicCalibrator {
  const keep: number[] = []
  const last = x.length - 1
  for (let i = 0; i <= last; i++) {
    if (i === 0 || i === last || y[i - 1] !== y[i] || y[i] !== y[i + 1]) keep.push(i)
  }
  return new IsotonicCalibrator(
    Float64Array.from(keep, (i) => x[i] as number),
    Float64Array.from(keep, (i) => y[i] as number),
  )
}

/** Rebuilds a calibrator from `toJSON()`; a malformed value names the field at fault. */
export function isotonicFromJSON(json: unknown): IsotonicCalibrator {
  if (typeof json !== 'object' || json === null) {
    throw new InvalidParameterError('isotonic calibrator must be an object')
  }
  const { kind, x, y } = json as Record<string, unknown>
  if (kind !== 'isotonic') {
    throw new InvalidParameterError(
      `isotonic calibrator field 'kind' must be 'isotonic', got ${JSON.stringify(kind)}`,
    )
  }
  const read = (value: unknown, field: string): Float64Array => {
    if (!Array.isArray(value) || value.length === 0) {
      throw new InvalidParameterError(
        `isotonic calibrator field '${field}' must be a non-empty array of numbers`,
      )
    }
    value.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidParameterError(
          `isotonic calibrator field '${field}[${i}]' must be a finite number, got ${JSON.stringify(v)}`,
        )
      }
    })
    return Float64Array.from(value as number[])
  }
  const xs = read(x, 'x')
  const ys = read(y, 'y')
  if (xs.length !== ys.length) {
    throw new InvalidParameterError(
      `isotonic calibrator fields 'x' and 'y' must have the same length, got ${xs.length} and ${ys.length}`,
    )
  }
  for (let i = 1; i < xs.length; i++) {
    if (!((xs[i] as number) > (xs[i - 1] as number))) {
      throw new InvalidParameterError(
        `isotonic calibrator field 'x[${i}]' must be greater than 'x[${i - 1}]'`,
      )
    }
    if (!((ys[i] as number) >= (ys[i - 1] as number))) {
      throw new InvalidParameterError(
        `isotonic calibrator field 'y[${i}]' must not be less than 'y[${i - 1}]'`,
      )
    }
  }
  return new IsotonicCalibrator(xs, ys)
}
